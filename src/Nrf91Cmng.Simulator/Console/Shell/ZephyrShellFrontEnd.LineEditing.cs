namespace Nrf91Cmng.Simulator
{
    // Cursor, insert, delete, word and prompt handling as Zephyr's shell_ops.c does it, so echo bytes match.
    internal sealed partial class ZephyrShellFrontEnd
    {
        // ---- shell_ops.c ----
        private int Width => _terminal.Width;

        private int PromptLength => _prompt.Length;

        private int Row(int offset) => (offset + PromptLength) / Width;

        private int Column(int offset) => 1 + ((offset + PromptLength) % Width);

        private bool FullLineCommand()
        {
            int length = _buff.Length + PromptLength;
            return length != 0 && length % Width == 0;
        }

        private bool CursorInEmptyLine() => (((_terminal.Echo ? _pos : 0) + PromptLength) % Width) == 0;

        private void CursorMove(int delta, ShellWriter w)
        {
            int target = _pos + delta;
            int rowSpan = Row(target) - Row(_pos);
            int columnSpan = Column(target) - Column(_pos);
            w.VerticalMove(-rowSpan);
            w.HorizontalMove(columnSpan);
            _pos = target;
        }

        private void ReprintFromCursor(int diff, bool removed, ShellWriter w)
        {
            if (removed)
            {
                w.ClearToEnd();
            }

            int lineLength = _buff.Length + PromptLength;
            int bufferPosition = _pos + PromptLength;
            if (bufferPosition / Width != lineLength / Width)
            {
                int p = _pos;
                while (bufferPosition < lineLength)
                {
                    if (bufferPosition++ % Width == 0)
                    {
                        w.NewLine();
                    }

                    w.Print(_buff[p++].ToString());
                }
            }
            else
            {
                w.Print(_buff.ToString(_pos, _buff.Length - _pos));
            }

            _pos = _buff.Length;
            if (FullLineCommand() && ((removed && diff > 0) || !removed))
            {
                w.NewLine();
            }

            CursorMove(-diff, w);
        }

        private void CharInsert(char c, ShellWriter w)
        {
            if (_terminal.InsertMode && _buff.Length != _pos)
            {
                _buff[_pos++] = c;
                if (!_terminal.Echo)
                {
                    return;
                }

                w.Raw(c.ToString());
                if (CursorInEmptyLine())
                {
                    w.NewLine();
                }

                return;
            }

            // data_insert: the buffer keeps one byte for the NUL; anything beyond is dropped unechoed.
            if (_buff.Length + 1 >= _settings.BufferSize)
            {
                return;
            }

            int after = _buff.Length - _pos;
            _buff.Insert(_pos, c);
            if (!_terminal.Echo)
            {
                _pos++;
                return;
            }

            ReprintFromCursor(after, false, w);
        }

        private void Backspace(ShellWriter w)
        {
            if (_buff.Length == 0 || _pos == 0)
            {
                return;
            }

            CursorMove(-1, w);
            CharDelete(w);
        }

        private void CharDelete(ShellWriter w)
        {
            int diff = _buff.Length - _pos;
            if (diff == 0)
            {
                return;
            }

            _buff.Remove(_pos, 1);
            ReprintFromCursor(diff - 1, true, w);
        }

        private void WordRemove(ShellWriter w)
        {
            if (_buff.Length == 0 || _pos == 0)
            {
                return;
            }

            int str = _pos - 1;
            int count = 0;
            while (str >= 0 && _buff[str] == ' ')
            {
                ++count;
                --str;
            }

            while (str >= 0 && _buff[str] != ' ')
            {
                ++count;
                --str;
            }

            _buff.Remove(str + 1, count);
            CursorMove(-count, w);
            w.Vt100("\x1b" + "7");
            w.Print(_buff.ToString(str + 1, _buff.Length - (str + 1)));
            w.ClearToEnd();
            w.Vt100("\x1b" + "8");
        }

        private void WordMove(int direction, ShellWriter w)
        {
            int shift = 0;
            bool found = false;
            while (true)
            {
                int index = _pos + (shift * direction);
                if ((index == 0 && direction < 0) || (index == _buff.Length && direction > 0))
                {
                    break;
                }

                if (index >= 0 && index < _buff.Length && char.IsLetterOrDigit(_buff[index]))
                {
                    found = true;
                }
                else if (found)
                {
                    break;
                }

                shift++;
            }

            CursorMove(direction * shift, w);
        }

        private void CommandLineErase(ShellWriter w)
        {
            int x = ((_pos + PromptLength) % Width) + 1;
            int y = ((_pos + PromptLength) / Width) + 1;
            w.HorizontalMove(-(x - 1));
            w.VerticalMove(y - 1);
            w.ClearToEnd();
        }

        /// <summary>z_shell_print_prompt_and_cmd.</summary>
        private void PromptAndCommand(ShellWriter w)
        {
            w.Print(ShellColor.Green, _prompt);
            if (!_terminal.Echo)
            {
                return;
            }

            int begin = 0;
            int end = 0;
            int width = _buff.Length;
            int adjust = PromptLength;
            while (width > Width - adjust)
            {
                end += Width - adjust;
                w.Raw(_buff.ToString(begin, end - begin) + "\n");
                width -= Width - adjust;
                begin = end;
                adjust = 0;
            }

            if (width > 0)
            {
                w.Raw(_buff.ToString(begin, _buff.Length - begin));
            }

            int curY = Row(_pos) + 1;
            int curYEnd = Row(_buff.Length) + 1;
            int curX = Column(_pos);
            int curXEnd = Column(_buff.Length);
            if (FullLineCommand())
            {
                w.NewLine();
            }

            if (curY != curYEnd)
            {
                w.VerticalMove(curYEnd - curY);
            }

            w.HorizontalMove(curX - curXEnd);
        }

        /// <summary>state_set(SHELL_STATE_ACTIVE): a new, empty line and the prompt.</summary>
        private void StateActive(ShellWriter w)
        {
            _buff.Clear();
            _pos = 0;
            PromptAndCommand(w);
        }
    }
}
