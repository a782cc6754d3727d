package io.asynccpu.userfunctions

// A function the tests submit by reference. It stands for application code, so it lives outside the
// library's own packages: a worker refuses to call functions of `io.asynccpu.hazelcast` itself.

fun square(x: Int): Int = x * x
