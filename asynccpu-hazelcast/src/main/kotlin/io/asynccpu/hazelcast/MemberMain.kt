package io.asynccpu.hazelcast

import kotlin.time.Duration.Companion.seconds

/**
 * Starts a cluster member from the command line and runs until the JVM is stopped:
 * ```
 * java -cp app.jar io.asynccpu.hazelcast.MemberMain --cluster NAME --members host1,host2 \
 *      [--interface 10.0.0.5] [--port 5701] [--workers 8] [--tasks-per-worker 1] \
 *      [--jvm-arg -Xmx2g]... [--member-loss-timeout 5] [--no-forward-logs]
 * ```
 *
 * The class path must hold the application's task classes (workers run them). Prints `asynccpu member HOST:PORT ready`
 * once it can take tasks. Bad arguments print the usage and exit with code 2.
 */
public object MemberMain {
    private const val USAGE =
        "usage: MemberMain --cluster NAME [--members host1,host2:5702] [--interface IP] [--port N] " +
            "[--workers N] [--tasks-per-worker N] [--jvm-arg ARG]... [--member-loss-timeout SECONDS] [--no-forward-logs]"

    /** The entry point; see the class description for the arguments. */
    @JvmStatic
    public fun main(args: Array<String>) {
        val member =
            try {
                ClusterMember.start { parse(args.toList(), this) }
            } catch (e: IllegalArgumentException) {
                System.err.println("MemberMain: ${e.message}\n$USAGE")
                kotlin.system.exitProcess(2)
            }
        Runtime.getRuntime().addShutdownHook(Thread({ member.close() }, "asynccpu-member-shutdown"))
        println("asynccpu member ${member.address} ready")
        System.out.flush()
        Thread.currentThread().join()
    }

    internal fun parse(args: List<String>, b: ClusterMemberBuilder) {
        var i = 0
        fun value(name: String): String = args.getOrNull(++i) ?: throw IllegalArgumentException("$name needs a value")
        fun number(name: String): Int =
            value(name).toIntOrNull() ?: throw IllegalArgumentException("$name needs a number")
        val jvmArgs = ArrayList<String>()
        var workers: Int? = null
        var tasksPerWorker: Int? = null
        while (i < args.size) {
            when (val arg = args[i]) {
                "--cluster" -> b.clusterName = value(arg)
                "--members" -> b.members += value(arg).split(',').map { it.trim() }.filter { it.isNotEmpty() }
                "--interface" -> b.bindInterface = value(arg)
                "--port" -> b.port = number(arg)
                "--workers" -> workers = number(arg)
                "--tasks-per-worker" -> tasksPerWorker = number(arg)
                "--jvm-arg" -> jvmArgs += value(arg)
                "--member-loss-timeout" -> b.memberLossTimeout = number(arg).seconds
                "--no-forward-logs" -> b.forwardLogs = false
                else -> throw IllegalArgumentException("unknown argument $arg")
            }
            i++
        }
        b.pool = {
            workers?.let { maxWorkers = it }
            tasksPerWorker?.let { this.tasksPerWorker = it }
            this.jvmArgs += jvmArgs
        }
    }
}
