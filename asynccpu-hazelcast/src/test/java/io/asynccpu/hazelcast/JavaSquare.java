package io.asynccpu.hazelcast;

import io.asynccpu.JavaTask;

/** A task written in Java: squares its input. */
public class JavaSquare implements JavaTask<Integer, Integer> {
    @Override
    public Integer call(Integer input) {
        return input * input;
    }
}
