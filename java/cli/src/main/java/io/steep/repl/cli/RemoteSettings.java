package io.steep.repl.cli;

import io.steep.repl.jdbc.Environment;

/**
 * Where a daemon is and how to reach it, from the command line over the environment. Plain
 * strings: parsing them (and loading gRPC) waits until a command really goes remote, so
 * {@code --help} stays fast.
 *
 * @param address the --remote address, else $STEEP_REPL_DAEMON, else null
 * @param forced  whether --remote was given (then there is no fallback)
 */
record RemoteSettings(String address, boolean forced, String ca, String cert, String key, String token) {
    static final String DAEMON_VARIABLE = "STEEP_REPL_DAEMON";
    static final String CA_VARIABLE = "STEEP_REPL_CA";
    static final String CERT_VARIABLE = "STEEP_REPL_CERT";
    static final String KEY_VARIABLE = "STEEP_REPL_KEY";
    static final String TOKEN_VARIABLE = "STEEP_REPL_TOKEN";

    static RemoteSettings of(Environment env, String remote, String ca, String cert, String key, String token) {
        return new RemoteSettings(remote != null ? remote : env.get(DAEMON_VARIABLE).orElse(null), remote != null,
                ca != null ? ca : env.get(CA_VARIABLE).orElse(null),
                cert != null ? cert : env.get(CERT_VARIABLE).orElse(null),
                key != null ? key : env.get(KEY_VARIABLE).orElse(null),
                token != null ? token : env.get(TOKEN_VARIABLE).orElse(null));
    }

    /** Whether a daemon is known to fall back to. */
    boolean configured() {
        return address != null && !address.isBlank();
    }

    @Override
    public String toString() {
        return "RemoteSettings[address=" + address + ", forced=" + forced + ", ca=" + ca + ", cert=" + cert
                + ", key=" + key + ", token=" + (token == null ? "none" : "********") + "]";
    }
}
