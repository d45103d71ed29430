package io.luagate.plugin.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates for tests, made by the {@code openssl} command line in a directory: a CA, server
 * certificates with chosen names (one PEM file each: certificate, CA, key), client certificates,
 * an expired one and one whose key belongs to another.
 */
final class Pki {

    private final Path dir;

    Pki(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "30", "-subj", "/C=FR/O=Test Org/CN=Test CA");
    }

    Path dir() {
        return dir;
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    /**
     * A server PEM (certificate, CA, key) for {@code cn} with {@code sans} as DNS names (none: no
     * subjectAltName).
     */
    Path server(String file, String cn, int days, String... sans) throws IOException, InterruptedException {
        return issue(file, "/CN=" + cn, days, sans.length == 0 ? null : "subjectAltName=DNS:" + String.join(",DNS:", sans), "1234AB");
    }

    /** A client certificate and its key in one PEM file. */
    Path client(String file, String subject, String serialHex) throws IOException, InterruptedException {
        return issue(file, subject, 30, "extendedKeyUsage=clientAuth", serialHex);
    }

    /** A revocation list of the CA that revokes the certificates of these serial numbers (hex; none: an empty list). */
    Path crl(String file, String... revokedSerialHex) throws IOException, InterruptedException {
        StringBuilder index = new StringBuilder();
        for (String serial : revokedSerialHex) {
            index.append("R\t301231235959Z\t250101000000Z\t").append(serial).append("\tunknown\t/CN=revoked\n");
        }
        Files.writeString(dir.resolve(file + ".index"), index.toString());
        Files.writeString(dir.resolve(file + ".number"), "01\n");
        Files.writeString(dir.resolve(file + ".cnf"), "[ca]\ndefault_ca = d\n[d]\ndatabase = " + file + ".index\n"
                + "crlnumber = " + file + ".number\ndefault_md = sha256\ndefault_crl_days = 30\n");
        run("ca", "-config", file + ".cnf", "-gencrl", "-keyfile", "ca.key", "-cert", "ca.pem", "-out", file);
        return dir.resolve(file);
    }

    /** A PEM whose key is not the certificate's. */
    Path mismatched(String file) throws IOException, InterruptedException {
        Path good = server(file + ".a", "a.test", 30, "a.test");
        Path other = server(file + ".b", "b.test", 30, "b.test");
        String a = Files.readString(good);
        String b = Files.readString(other);
        String pem = a.substring(0, a.indexOf("-----BEGIN PRIVATE KEY-----")) + b.substring(b.indexOf("-----BEGIN PRIVATE KEY-----"));
        Path out = dir.resolve(file);
        Files.writeString(out, pem);
        return out;
    }

    private Path issue(String file, String subject, int days, String extension, String serialHex)
            throws IOException, InterruptedException {
        run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file + ".tmpkey",
                "-out", file + ".csr", "-subj", subject);
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", file + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-set_serial", "0x" + serialHex, "-days", Integer.toString(days), "-out", file + ".crt"));
        if (extension != null) {
            Files.writeString(dir.resolve(file + ".ext"), extension + "\n");
            args.addAll(List.of("-extfile", file + ".ext"));
        }
        run(args.toArray(String[]::new));
        Path out = dir.resolve(file);
        Files.writeString(out, Files.readString(dir.resolve(file + ".crt")) + Files.readString(ca())
                + Files.readString(dir.resolve(file + ".tmpkey")));
        for (String suffix : new String[] {".tmpkey", ".csr", ".crt", ".ext"}) {
            Files.deleteIfExists(dir.resolve(file + suffix));
        }
        return out;
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }
}
