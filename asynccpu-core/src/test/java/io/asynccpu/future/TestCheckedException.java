package io.asynccpu.future;

/** A checked exception the caller can rebuild: it has a (String) constructor. */
public class TestCheckedException extends Exception {
    public TestCheckedException(String message) {
        super(message);
    }
}
