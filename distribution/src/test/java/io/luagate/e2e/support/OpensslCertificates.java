package io.luagate.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates for end-to-end tests, made by Debian's {@code openssl} in a directory: a CA
 * ({@code ca.pem}), then PEM files holding a certificate, the CA and the key, as HAProxy's
 * {@code crt} takes them.
 */
public final class OpensslCertificates {

    private final Path dir;

    public OpensslCertificates(Path dir) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.pem", "-days", "30", "-subj", "/C=FR/O=Test Org/CN=Test CA");
    }

    /** The certificate alone, and the key alone, of {@code file} (for curl's --cert and --key). */
    public Path certificateOnly(String file) {
        return dir.resolve("split").resolve(Path.of(file).getFileName() + ".crt");
    }

    public Path keyOnly(String file) {
        return dir.resolve("split").resolve(Path.of(file).getFileName() + ".key");
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /**
     * Issues {@code file} (relative to the directory) for {@code subject}, valid for {@code days}
     * (-1: expired yesterday), with {@code extension} (an openssl extension line, or {@code null}).
     */
    public Path issue(String file, String subject, int days, String extension, String serialHex)
            throws IOException, InterruptedException {
        Path out = dir.resolve(file);
        Files.createDirectories(out.getParent());
        String base = "tmp-" + Math.abs(file.hashCode());
        run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", base + ".key",
                "-out", base + ".csr", "-subj", subject);
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", base + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-set_serial", "0x" + serialHex, "-days", Integer.toString(days), "-out", base + ".crt"));
        if (extension != null) {
            Files.writeString(dir.resolve(base + ".ext"), extension + "\n");
            args.addAll(List.of("-extfile", base + ".ext"));
        }
        run(args.toArray(String[]::new));
        Files.writeString(out, Files.readString(dir.resolve(base + ".crt")) + Files.readString(ca())
                + Files.readString(dir.resolve(base + ".key")));
        // curl takes a client's certificate and key as separate files: split/<file>.crt and .key.
        Path split = Files.createDirectories(dir.resolve("split"));
        Files.copy(dir.resolve(base + ".crt"), split.resolve(out.getFileName() + ".crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve(base + ".key"), split.resolve(out.getFileName() + ".key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String suffix : new String[] {".key", ".csr", ".crt", ".ext"}) {
            Files.deleteIfExists(dir.resolve(base + suffix));
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
