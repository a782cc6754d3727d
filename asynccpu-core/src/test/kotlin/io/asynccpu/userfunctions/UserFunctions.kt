package io.asynccpu.userfunctions

import io.asynccpu.Point
import kotlinx.coroutines.delay

// Functions the tests submit by reference. They stand for application code, so they live outside the
// library's own packages: a worker refuses to call functions of `io.asynccpu` itself (FunctionPolicy).

suspend fun cpuBound(taskId: Int): String {
    delay(1)
    return "task $taskId: " + (0 until 1_000L).sumOf { it * it }
}

fun plainSquare(x: Int): Int = x * x

fun noArguments(): String = "none"

fun sumPoints(points: List<Point>, weights: Map<String, Int>, offset: Int?): Int =
    points.sumOf { it.x + it.y } * (weights["w"] ?: 1) + (offset ?: 0)

suspend fun pidOf(): Long = ProcessHandle.current().pid()

object MathFunctions {
    fun cube(x: Long): Long = x * x * x
}

fun squareOf(x: Int): Long = x.toLong() * x

suspend fun slowSquare(x: Int): Long {
    delay(1)
    return x.toLong() * x
}

fun failAtThirteen(x: Int): Int {
    require(x != 13) { "thirteen is unlucky" }
    return x
}

fun sleepyIdentity(x: Int): Int {
    println("map item $x started")
    Thread.sleep(60_000)
    return x
}

/** Out-of-band arrays as function arguments and result: the payload with [label]'s bytes appended. */
fun appendLabel(payload: ByteArray, label: String): ByteArray = payload + label.toByteArray()
