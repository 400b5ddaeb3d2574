package io.tweetreel.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A token the client sends as {@code Authorization: Bearer}, or the lack of one, with where it came from: what a
 * message needs when the gateway refuses it. The token itself is never part of a message or of {@link #toString()}.
 */
final class Credential {
    /** The two tokens the gateway knows: an API key for {@code /api/*}, the admin token for {@code /admin/*}. */
    enum Kind {
        API_KEY("API key", "--api-key-file", "TWEETREEL_API_KEY", "api-key"),
        ADMIN_TOKEN("admin token", "--admin-token-file", "TWEETREEL_ADMIN_TOKEN", "admin-token");

        final String what;
        final String fileOption;
        final String variable;
        final String defaultFileName;

        Kind(String what, String fileOption, String variable, String defaultFileName) {
            this.what = what;
            this.fileOption = fileOption;
            this.variable = variable;
            this.defaultFileName = defaultFileName;
        }

        /** "--api-key-file FILE, TWEETREEL_API_KEY or .tweetreel/api-key". */
        String whereFrom() {
            return fileOption + " FILE, " + variable + " or .tweetreel/" + defaultFileName;
        }
    }

    /** What a token can hold and a header can carry: visible ASCII, no spaces. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");

    private static final Set<PosixFilePermission> OTHERS_MAY_READ =
            Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private final Kind kind;
    private final String token;
    private final String source;

    private Credential(Kind kind, String token, String source) {
        this.kind = kind;
        this.token = token;
        this.source = source;
    }

    static Credential none(Kind kind) {
        return new Credential(kind, null, null);
    }

    /**
     * The token given by {@code fileOption}, else by the kind's environment variable, else in the kind's file under
     * the state directory ({@code $TWEETREEL_STATE_DIR}, else {@code $TWEETREEL_HOME/.tweetreel}, as
     * {@code ./tweetreel up} keeps it) when that file exists; {@link #none} when there is none of these.
     *
     * @throws UnusableInputException when a given file cannot be read or holds no token (exit code 2)
     */
    static Credential find(Kind kind, Path fileOption, Map<String, String> env, PrintStream warnings) {
        if (fileOption != null) {
            return fromFile(kind, fileOption, warnings);
        }
        String variable = env.get(kind.variable);
        if (variable != null && !variable.isBlank()) {
            String token = variable.strip();
            if (!TOKEN.matcher(token).matches()) {
                throw new UnusableInputException(kind.variable + " does not hold an " + kind.what
                        + " (one word of visible characters, such as trk_...)");
            }
            return new Credential(kind, token, kind.variable);
        }
        Optional<Path> stateDir = stateDir(env);
        if (stateDir.isPresent()) {
            Path file = stateDir.get().resolve(kind.defaultFileName);
            if (Files.exists(file)) {
                return fromFile(kind, file, warnings);
            }
        }
        return none(kind);
    }

    /** Where {@code ./tweetreel up} keeps its state, when the launcher said where the repository is. */
    static Optional<Path> stateDir(Map<String, String> env) {
        String home = env.get("TWEETREEL_HOME");
        if (home == null || home.isBlank()) {
            return Optional.empty();
        }
        String stateDir = env.get("TWEETREEL_STATE_DIR");
        Path root = Path.of(home);
        // the dev stack runs in TWEETREEL_HOME, so a relative state directory is relative to it
        return Optional.of(
                stateDir == null || stateDir.isBlank() ? root.resolve(".tweetreel") : root.resolve(stateDir));
    }

    private static Credential fromFile(Kind kind, Path file, PrintStream warnings) {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            throw new UnusableInputException("cannot read the " + kind.what + " from " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UnusableInputException("cannot read the " + kind.what + " from " + file + ": permission denied");
        } catch (IOException e) {
            // the message of a malformed-input error names no content, only the charset
            throw new UnusableInputException("cannot read the " + kind.what + " from " + file + ": " + e.getMessage());
        }
        if (!TOKEN.matcher(text).matches()) {
            throw new UnusableInputException(
                    file + " does not hold an " + kind.what + " (one line of visible characters, such as trk_...)");
        }
        warnIfOthersMayRead(file, warnings);
        return new Credential(kind, text, file.toString());
    }

    private static void warnIfOthersMayRead(Path file, PrintStream warnings) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(OTHERS_MAY_READ::contains)) {
                warnings.println("tweetreel: warning: other users can read " + file + "; make it yours alone with"
                        + " chmod 600 " + file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system, or it went away after the read: nothing to warn about
        }
    }

    Kind kind() {
        return kind;
    }

    boolean isPresent() {
        return token != null;
    }

    /** The value of the Authorization header. */
    Optional<String> authorization() {
        return token == null ? Optional.empty() : Optional.of("Bearer " + token);
    }

    /** What the user reads when the gateway answers 401; {@code detail} is the gateway's own reason, if any. */
    String refusal(String detail) {
        String reason = detail == null ? "" : " (" + detail + ")";
        if (kind == Kind.ADMIN_TOKEN) {
            return "the gateway refused the admin token from " + source + reason;
        }
        if (token == null) {
            return "the gateway wants an API key: give one with " + kind.whereFrom()
                    + " (./tweetreel up --auth makes one; ./tweetreel keys create NAME makes more)" + reason;
        }
        return "the gateway wants an API key: it refused the one from " + source + ", unknown or revoked" + reason;
    }

    @Override
    public String toString() {
        return token == null ? "no " + kind.what : kind.what + " from " + source;
    }
}
