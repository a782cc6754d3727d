package io.asynccpu.future;

/**
 * Not a task. Its static initializer flips {@link InitFlags#notAJavaTaskInitialized}, so a test can
 * check that a worker refusing it never initialised it (reading a field of this class would).
 */
public final class NotAJavaTask {
    static {
        InitFlags.notAJavaTaskInitialized = true;
    }

    public String call(String input) {
        return input;
    }
}
