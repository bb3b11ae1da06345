package io.steep.repl.snapshot.compress;

/** Shared stream tuning. */
final class Streams {
    /** Large enough that JNI compressors see few calls per megabyte. */
    static final int BUFFER_SIZE = 256 * 1024;

    private Streams() {
    }
}
