package io.asynccpu.future;

/** Flags set by static initializers of test classes. */
public final class InitFlags {
    public static volatile boolean notAJavaTaskInitialized;

    private InitFlags() {}
}
