namespace Nrf91Cmng.Formatting
{
    /// <summary>
    /// A table view described column by column (label, fixed width, property or script), turned into
    /// PowerShell's <see cref="TableControl"/> through its public builder, so that the widths of a
    /// view sit next to its columns and add up at a glance.
    /// </summary>
    internal sealed class TableView
    {
        private readonly List<Column> _columns = new List<Column>();
        private readonly string _typeName;
        private readonly string _viewName;
        private bool _wrap;

        private TableView(string typeName, string viewName)
        {
            _typeName = typeName;
            _viewName = viewName;
        }

        /// <summary>A table view of <paramref name="typeName"/>; the view name defaults to the type name.</summary>
        public static TableView For(string typeName, string? viewName = null) => new TableView(typeName, viewName ?? typeName);

        /// <summary>A column that shows a property under its own name (or <paramref name="label"/>).</summary>
        public TableView Property(string property, int width, string? label = null, Alignment alignment = Alignment.Undefined)
        {
            _columns.Add(new Column(label ?? property, width, alignment, property, null));
            return this;
        }

        /// <summary>A calculated column (Windows PowerShell 5.1 syntax: no ternaries, no ??).</summary>
        public TableView Script(string label, int width, string script, Alignment alignment = Alignment.Undefined)
        {
            _columns.Add(new Column(label, width, alignment, null, script));
            return this;
        }

        /// <summary>Multi-line values (AT response lines) on rows of their own instead of cut at the first line.</summary>
        public TableView Wrapped()
        {
            _wrap = true;
            return this;
        }

        /// <summary>The view for PowerShell.</summary>
        public FormatViewDefinition Build()
        {
            TableControlBuilder table = TableControl.Create(outOfBand: false, autoSize: false, hideTableHeaders: false);
            foreach (Column column in _columns)
            {
                table.AddHeader(column.Alignment, column.Width, column.Label);
            }

            TableRowDefinitionBuilder row = table.StartRowDefinition(_wrap, entrySelectedByType: null, entrySelectedByCondition: null);
            foreach (Column column in _columns)
            {
                if (column.Property is not null)
                {
                    row.AddPropertyColumn(column.Property, column.Alignment, format: null);
                }
                else
                {
                    row.AddScriptBlockColumn(column.Script, column.Alignment, format: null);
                }
            }

            return new FormatViewDefinition(_viewName, row.EndRowDefinition().EndTable());
        }

        /// <summary>The type this view is for.</summary>
        public string TypeName => _typeName;

        private sealed class Column
        {
            public Column(string label, int width, Alignment alignment, string? property, string? script)
            {
                Label = label;
                Width = width;
                Alignment = alignment;
                Property = property;
                Script = script;
            }

            public string Label { get; }

            public int Width { get; }

            public Alignment Alignment { get; }

            public string? Property { get; }

            public string? Script { get; }
        }
    }

    /// <summary>A list view: one "Label : value" line per item.</summary>
    internal sealed class ListView
    {
        private readonly ListEntryBuilder _entry;
        private readonly string _viewName;

        private ListView(string typeName, string viewName)
        {
            TypeName = typeName;
            _viewName = viewName;
            _entry = ListControl.Create(outOfBand: false).StartEntry(entrySelectedByType: null, entrySelectedByCondition: null);
        }

        /// <summary>The type this view is for.</summary>
        public string TypeName { get; }

        /// <summary>A list view of <paramref name="typeName"/>.</summary>
        public static ListView For(string typeName, string? viewName = null) => new ListView(typeName, viewName ?? typeName);

        /// <summary>A property under its own name (or <paramref name="label"/>).</summary>
        public ListView Property(string property, string? label = null)
        {
            _entry.AddItemProperty(property, label, format: null);
            return this;
        }

        /// <summary>A calculated item.</summary>
        public ListView Script(string label, string script)
        {
            _entry.AddItemScriptBlock(script, label, format: null);
            return this;
        }

        /// <summary>The view for PowerShell.</summary>
        public FormatViewDefinition Build() => new FormatViewDefinition(_viewName, _entry.EndEntry().EndList());
    }

    /// <summary>
    /// A custom view: one script that renders the whole object as text (for reports whose parts
    /// are not rows or "Label : value" lines). The script must keep its lines within 79 columns.
    /// </summary>
    internal sealed class CustomView
    {
        private readonly string _viewName;
        private readonly string _script;

        private CustomView(string typeName, string viewName, string script)
        {
            TypeName = typeName;
            _viewName = viewName;
            _script = script;
        }

        /// <summary>The type this view is for.</summary>
        public string TypeName { get; }

        /// <summary>A custom view of <paramref name="typeName"/> rendered by <paramref name="script"/> (Windows PowerShell 5.1 syntax).</summary>
        public static CustomView For(string typeName, string script, string? viewName = null) => new CustomView(typeName, viewName ?? typeName, script);

        /// <summary>The view for PowerShell.</summary>
        public FormatViewDefinition Build() =>
            new FormatViewDefinition(_viewName, CustomControl.Create(outOfBand: false).StartEntry(entrySelectedByType: null, entrySelectedByCondition: null)
                .AddScriptBlockExpressionBinding(_script, enumerateCollection: false, selectedByType: null, selectedByScript: null, customControl: null)
                .AddNewline(1)
                .EndEntry()
                .EndControl());
    }
}
