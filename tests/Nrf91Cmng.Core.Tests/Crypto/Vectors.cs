namespace Nrf91Cmng.Core.Tests.Crypto
{
    /// <summary>Public test vectors copied from shared/spec/transcripts.md (TV-2, TV-6).</summary>
    internal static class Vectors
    {
        /// <summary>TV-2: Amazon Root CA 1 as written by the nRF Cloud installer (LF, trailing newline; 1188 bytes).</summary>
        public const string AmazonRootCa1 =
            "-----BEGIN CERTIFICATE-----\n" +
            "MIIDQTCCAimgAwIBAgITBmyfz5m/jAo54vB4ikPmljZbyjANBgkqhkiG9w0BAQsF\n" +
            "ADA5MQswCQYDVQQGEwJVUzEPMA0GA1UEChMGQW1hem9uMRkwFwYDVQQDExBBbWF6\n" +
            "b24gUm9vdCBDQSAxMB4XDTE1MDUyNjAwMDAwMFoXDTM4MDExNzAwMDAwMFowOTEL\n" +
            "MAkGA1UEBhMCVVMxDzANBgNVBAoTBkFtYXpvbjEZMBcGA1UEAxMQQW1hem9uIFJv\n" +
            "b3QgQ0EgMTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBALJ4gHHKeNXj\n" +
            "ca9HgFB0fW7Y14h29Jlo91ghYPl0hAEvrAIthtOgQ3pOsqTQNroBvo3bSMgHFzZM\n" +
            "9O6II8c+6zf1tRn4SWiw3te5djgdYZ6k/oI2peVKVuRF4fn9tBb6dNqcmzU5L/qw\n" +
            "IFAGbHrQgLKm+a/sRxmPUDgH3KKHOVj4utWp+UhnMJbulHheb4mjUcAwhmahRWa6\n" +
            "VOujw5H5SNz/0egwLX0tdHA114gk957EWW67c4cX8jJGKLhD+rcdqsq08p8kDi1L\n" +
            "93FcXmn/6pUCyziKrlA4b9v7LWIbxcceVOF34GfID5yHI9Y/QCB/IIDEgEw+OyQm\n" +
            "jgSubJrIqg0CAwEAAaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMC\n" +
            "AYYwHQYDVR0OBBYEFIQYzIU07LwMlJQuCFmcx7IQTgoIMA0GCSqGSIb3DQEBCwUA\n" +
            "A4IBAQCY8jdaQZChGsV2USggNiMOruYou6r4lK5IpDB/G/wkjUu0yKGX9rbxenDI\n" +
            "U5PMCCjjmCXPI6T53iHTfIUJrU6adTrCC2qJeHZERxhlbI1Bjjt/msv0tadQ1wUs\n" +
            "N+gDS63pYaACbvXy8MWy7Vu33PqUXHeeE6V/Uq2V8viTO96LXFvKWlJbYK8U90vv\n" +
            "o/ufQJVtMVT8QtPHRh8jrdkPSHCa2XV4cdFyQzR1bldZwgJcJmApzyMZFo6IQ6XU\n" +
            "5MsI+yMRQ+hDKXJioaldXgjUkK642M4UwtBV8ob2xJNDd2ZhwLnoQdeXeGADbkpy\n" +
            "rqXRfboQnoZsG4q5WTP468SQvvG5\n" +
            "-----END CERTIFICATE-----\n";

        /// <summary>Digest real mfw 1.3.5 lists for <see cref="AmazonRootCa1"/>.</summary>
        public const string AmazonRootCa1Sha256 = "2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1";

        /// <summary>TV-2: the client certificate written to (42, 1) (676 bytes with LF and trailing newline).</summary>
        public const string Tv2ClientCertificate =
            "-----BEGIN CERTIFICATE-----\n" +
            "MIIBxzCCAW4CFDgXQgyjalFBw6ypq3BGKS/jQw4gMAoGCCqGSM49BAMCMIGdMQsw\n" +
            "CQYDVQQGEwJVUzELMAkGA1UECAwCT1IxETAPBgNVBAcMCFBvcnRsYW5kMR0wGwYD\n" +
            "VQQKDBROb3JkaWMgU2VtaWNvbmR1Y3RvcjELMAkGA1UECwwCUkQxFzAVBgNVBAMM\n" +
            "Dm5vcmRpY3NlbWkuY29tMSkwJwYJKoZIhvcNAQkBFhpwZXRlci5za2VnZ3NAbm9y\n" +
            "ZGljc2VtaS5ubzAeFw0yMTA4MjQwMDE2MjBaFw0zMTA4MjIwMDE2MjBaMC8xLTAr\n" +
            "BgNVBAMMJDUwMzYzMTU0LTM5MzItNDgzNC04MDJiLTA5MDg3MTgzMTRkYzBZMBMG\n" +
            "ByqGSM49AgEGCCqGSM49AwEHA0IABM8sE3n5haPXeXo1Z6o0VbxWMc5ZkHkh95oT\n" +
            "J8x6JSTpXU0Qy5icQHDCsF1X3gXld2xwIoMu2+3IqjhVNucr6Y8wCgYIKoZIzj0E\n" +
            "AwIDRwAwRAIgLwud64ojEI99F18wHLxzwVNe84OjcoL+NpnOKGqzZ20CIEQhqq3d\n" +
            "ViL+OKPpdSX0ldid9iywwHSYOdQCwmbv86Lk\n" +
            "-----END CERTIFICATE-----\n";

        /// <summary>Computed digest of <see cref="Tv2ClientCertificate"/> as written (transcripts.md TV-2).</summary>
        public const string Tv2ClientCertificateSha256 = "03E171F93C7AD0F75E00757C2830796ECE7DD41979F492C3BEDFE140D04D5EFE";

        /// <summary>TV-2: <c>AT%KEYGEN=42,2,0</c> on a Thingy:91 (real).</summary>
        public const string Tv2Keygen =
            "%KEYGEN: \"MIIBCjCBrwIBADAvMS0wKwYDVQQDDCQ1MDM2MzE1NC0zOTMyLTQ4MzQtODAyYi0wOTA4NzE4MzE0ZGMwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATPLBN5-YWj13l6NWeqNFW8VjHOWZB5IfeaEyfMeiUk6V1NEMuYnEBwwrBdV94F5XdscCKDLtvtyKo4VTbnK-mPoB4wHAYJKoZIhvcNAQkOMQ8wDTALBgNVHQ8EBAMCA-gwDAYIKoZIzj0EAwIFAANIADBFAiAO2KmzF9Ms599GC3EueXhmp6AWwtD6c7bA_lhnNc7ZgQIhAMFJC99z_GfLJxCT2U8Dt4MFCB_5wwFYSDcSg-ucfLHS.0oRDoQEmoQRBIVhM2dn3hQlQUDYxVDkySDSAKwkIcYMU3EIYKlgglFk5S_wQVOvIPvm-qjnYS4BZ4mCg7Bsf3cAVIGelPGNQVF8u_v_HrhBJH107c3QBLVhA35AZa4ZWQbm7mRQfFuGGlfLFgiNwMLxxjsmiQHNtT01o5c6pm2uEqMn0T_YY0aEXZer2hCS-YwNoW97zcH_Iug\"";

        /// <summary>TV-6: <c>AT%KEYGEN=52,2,0</c> (nRF Cloud utils test data, mfw_nrf91x1_2.0.2).</summary>
        public const string Tv6Keygen =
            "%KEYGEN: \"MIIBCzCBrwIBADAvMS0wKwYDVQQDDCQ1MDM2Mzk1My0zMjM0LTQ3MjMtODBiOS0xNTAzZDg4MjcxYmYwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQ37lDghqs2kF2iiH8lYRDDxNMiziQRPPdw9Meb1iHfTEZNdlB1xZzMV-oK6i52p1GHYQszjoDzUAZF2zU2MTGGoB4wHAYJKoZIhvcNAQkOMQ8wDTALBgNVHQ8EBAMCA-gwDAYIKoZIzj0EAwIFAANJADBGAiEAzaMPi5NcWFYZBJGBMk0tU-TBoNDVlQUzhHWJzXKRTWsCIQCWYpYqjccA281F5Geb8SwOP3tnjS_ZbAXUgVWhTVNuvg.0oRDoQEmoQRBIVhM2dn3hQlQUDY5UzI0RyOAuRUD2IJxv0IYNFggTaa7Z9K-8bQPz3YG5o_h32quNr0FHEtnX5VpEZ-8gflQY8D67v4xx32mF0L3-mbuuVhAfY3TgibaimIVPaN1C3Sz_oWj6JPf8sEOV2XNBDUNCV3sD3WdNOjgv32-rLXAx_vBIvpk1DTCb3Y97zqFhhdKlw\"";

        /// <summary>TV-6: <c>AT%KEYGEN=52,2,0,"CN=nrf-355025930000000"</c>.</summary>
        public const string Tv6KeygenWithSubject =
            "%KEYGEN: \"MIH4MIGeAgEAMB4xHDAaBgNVBAMME25yZi0zNTUwMjU5MzAwMDAwMDAwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATYRrWI0v6LJWciuTlscw8E1TcOBJoygkALKecquhe-fr_QT_tcjC2DgmDyX1cjTubp7n_mUaf5ZJ1s-Ke-ABBuoB4wHAYJKoZIhvcNAQkOMQ8wDTALBgNVHQ8EBAMCA-gwDAYIKoZIzj0EAwIFAANHADBEAiBDTS-I_ye8nJpB7vtO6FQWvnUhJnG6QsjRPo56nBFh2gIgPB5NW16dANAMmn0VLMBXGeRPTtoxOs5Ld1Z7JW46_8s.0oRDoQEmoQRBIVhM2dn3hQlQUDQ5VjA3RziADR8p4KD3v0IYNFggl3ygk__l-pZ9jtlsf0AyuFJlRaaEouhzYgau2zOcHwBQp2eEbVMiHVcHrE9R2670dlhA1a7jaKq3ALRx2h-h2TIkxxh82oyr4c4LqzraUecL8SFek-IbvEBfv30695FKOt3FXEk7y5G_JW3yaRQGczL3TQ\"";

        /// <summary>TV-6: <c>AT%ATTESTTOKEN</c>.</summary>
        public const string Tv6AttestationToken =
            "%ATTESTTOKEN: \"2dn3hQFQUDYxVDkxRPCAIhIbZAFifQNQGv86y_GmR2SiY0wmRsHGVFDT791_BPH8YOWFiyCHND1q.0oRDoQEmoQRBIfZYQGuXwJliinHc6xDPruiyjsaXyXZbZVpUuOhHG9YS8L05VuglCcJhMN4EUhWVGpaHgNnHHno6ahi-d5tOeZmAcNY\"";

        /// <summary>The text between the quotes of a modem line.</summary>
        public static string Payload(string line)
        {
            int first = line.IndexOf('"');
            return line.Substring(first + 1, line.LastIndexOf('"') - first - 1);
        }
    }
}
