package io.asynccpu.future;

/** Not a task; records whether its static initializer ever ran (it must not, in a worker). */
public final class NotAJavaTask {
    public static volatile boolean initialized;

    static {
        initialized = true;
    }

    public String call(String input) {
        return input;
    }
}
