package io.asynccpu

import java.io.FileOutputStream
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicIntegerArray
import java.util.concurrent.atomic.AtomicReferenceArray
import kotlin.random.Random
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.serialization.Serializable

// The chaos harness shared by ChaosTest, ChaosStressTest and SoakTest: many callers, a killer of
// workers, random cancellations, and an audit that every call was answered exactly once and that
// no task ran twice.

/**
 * Appends its index to [log] when it starts (one `write` on an O_APPEND file, which survives a SIGKILL of the worker),
 * spins for [spinMicros], then returns [expected] or, if [fail], throws.
 */
@Serializable
class ChaosTask(val index: Int, val log: String, val spinMicros: Long, val fail: Boolean = false) : ProcessTask<Long> {
    override suspend fun run(): Long {
        FileOutputStream(log, true).use { it.write("$index\n".toByteArray()) }
        val until = System.nanoTime() + spinMicros * 1_000
        while (System.nanoTime() < until) Thread.onSpinWait()
        if (fail) throw IllegalStateException("planned failure of task $index")
        return expected(index)
    }

    companion object {
        fun expected(index: Int): Long = index * 31L + 7
    }
}

/** The live worker processes of this JVM's pools (children whose command line runs WorkerMain). */
fun workerProcesses(): List<ProcessHandle> =
    ProcessHandle.current()
        .children()
        .filter { it.isAlive && commandLineOf(it.pid()).contains("io.asynccpu.internal.worker.WorkerMain") }
        .toList()

/**
 * A thread that SIGKILLs a random live worker every [periodMillis], at most [maxKills] times, and after each kill waits
 * until [answered] (callers answered so far) has grown: on a loaded machine a worker can take longer than the period to
 * start, and killing every worker before it answers anything would stall the run instead of testing it.
 */
class WorkerKiller(
    private val periodMillis: Long,
    private val maxKills: Int,
    seed: Long,
    private val answered: () -> Int,
) {
    private val random = Random(seed)
    val kills = AtomicInteger()

    @Volatile private var running = true
    private val thread = Thread({ loop() }, "chaos-killer").apply { isDaemon = true }

    fun start(): WorkerKiller = apply { thread.start() }

    private fun loop() {
        while (running && kills.get() < maxKills) {
            try {
                Thread.sleep(periodMillis) // the load: one fault per period, not a synchronisation
            } catch (e: InterruptedException) {
                return
            }
            val before = answered()
            val workers = workerProcesses()
            if (workers.isNotEmpty() && running && workers.random(random).destroyForcibly()) kills.incrementAndGet()
            try {
                while (running && answered() == before) Thread.sleep(PROGRESS_POLL_MILLIS)
            } catch (e: InterruptedException) {
                return
            }
        }
    }

    fun stop() {
        running = false
        thread.interrupt()
        thread.join()
    }

    private companion object {
        const val PROGRESS_POLL_MILLIS = 10L
    }
}

class ChaosPlan(
    val tasks: Int,
    val workers: Int,
    val killEveryMillis: Long,
    val maxKills: Int = Int.MAX_VALUE,
    /** Every caller with `index % cancelEvery == 1` is cancelled at a random moment (0: none). */
    val cancelEvery: Int = 0,
    /** Every task with `index % failEvery == 2` throws (0: none). */
    val failEvery: Int = 0,
    val spinMicros: (Random) -> Long = { 200 },
    val seed: Long = 1,
    /** The run fails (callers left unanswered count as lost) once no caller was answered for this long. */
    val stallMillis: Long = 180_000,
)

class ChaosReport(
    val tasks: Int,
    val results: Int,
    val wrongResults: Int,
    val errors: Int,
    val crashes: Int,
    val cancelled: Int,
    val unexpected: List<String>,
    val lost: Int,
    val duplicatedAnswers: Int,
    val duplicatedRuns: Int,
    val succeededButNotRunOnce: Int,
    val kills: Int,
) {
    operator fun plus(o: ChaosReport) =
        ChaosReport(
            tasks + o.tasks,
            results + o.results,
            wrongResults + o.wrongResults,
            errors + o.errors,
            crashes + o.crashes,
            cancelled + o.cancelled,
            unexpected + o.unexpected,
            lost + o.lost,
            duplicatedAnswers + o.duplicatedAnswers,
            duplicatedRuns + o.duplicatedRuns,
            succeededButNotRunOnce + o.succeededButNotRunOnce,
            kills + o.kills,
        )

    override fun toString(): String =
        "tasks=$tasks results=$results wrongResults=$wrongResults errors=$errors crashes=$crashes " +
            "cancelled=$cancelled unexpected=${unexpected.size} lost=$lost duplicatedAnswers=$duplicatedAnswers " +
            "duplicatedRuns=$duplicatedRuns succeededButNotRunOnce=$succeededButNotRunOnce kills=$kills"

    companion object {
        val EMPTY = ChaosReport(0, 0, 0, 0, 0, 0, emptyList(), 0, 0, 0, 0, 0)
    }
}

private const val RESULT = 1
private const val WRONG = 2
private const val ERROR = 3
private const val CRASH = 4
private const val CANCELLED = 5
private const val UNEXPECTED = 6

/**
 * Runs [plan] against [pool]: one caller coroutine per task (`pool.run`), a [WorkerKiller], and a canceller; then
 * audits the outcome of every caller and the start log of every task.
 */
suspend fun runChaos(pool: ProcessPool, plan: ChaosPlan): ChaosReport = coroutineScope {
    val random = Random(plan.seed)
    val log = Files.createTempFile("asynccpu-chaos-", ".log")
    val answers = AtomicIntegerArray(plan.tasks)
    val outcome = AtomicIntegerArray(plan.tasks)
    val cancelRequested = AtomicIntegerArray(plan.tasks)
    val unexpected = AtomicReferenceArray<String>(plan.tasks)
    val answered = AtomicInteger()
    fun record(i: Int, kind: Int, detail: String? = null) {
        answered.incrementAndGet()
        answers.incrementAndGet(i)
        outcome.set(i, kind)
        if (detail != null) unexpected.set(i, detail)
    }
    val killer = WorkerKiller(plan.killEveryMillis, plan.maxKills, plan.seed, answered::get).start()
    // ATOMIC: a caller cancelled before it was dispatched still runs (and answers CANCELLED), so it is never "lost".
    val callers: List<Job> =
        (0 until plan.tasks).map { i ->
            val task =
                ChaosTask(
                    i,
                    log.toString(),
                    plan.spinMicros(random),
                    fail = plan.failEvery > 0 && i % plan.failEvery == 2,
                )
            launch(Dispatchers.Default, start = CoroutineStart.ATOMIC) {
                try {
                    val value = pool.run(task)
                    record(i, if (value == ChaosTask.expected(i)) RESULT else WRONG)
                } catch (e: WorkerCrashedException) {
                    record(i, CRASH)
                } catch (e: CancellationException) {
                    if (cancelRequested.get(i) == 1) record(i, CANCELLED)
                    else record(i, UNEXPECTED, "not cancelled by the test: $e")
                    throw e
                } catch (e: IllegalStateException) {
                    if (task.fail && e.message == "planned failure of task $i") record(i, ERROR)
                    else record(i, UNEXPECTED, e.toString())
                } catch (e: Throwable) {
                    record(i, UNEXPECTED, e.toString())
                }
            }
        }
    try {
        val canceller =
            if (plan.cancelEvery > 0) {
                launch(Dispatchers.Default) {
                    for (i in (1 until plan.tasks step plan.cancelEvery).shuffled(random)) {
                        delay(
                            random.nextLong(0, 3)
                        ) // spreads the cancellations over the run (load, not synchronisation)
                        cancelRequested.set(i, 1)
                        callers[i].cancel()
                    }
                }
            } else {
                null
            }
        val all = launch {
            canceller?.join()
            callers.joinAll()
        }
        awaitWhileProgressing(all, answered::get, plan.stallMillis)
        all.cancel()
        canceller?.cancel()
    } finally {
        killer.stop()
    }
    val lostIndexes = (0 until plan.tasks).filter { answers.get(it) == 0 }
    callers.forEach { it.cancel() }
    val runs = IntArray(plan.tasks)
    withContext(Dispatchers.IO) {
        Files.readAllLines(log).forEach { line -> line.trim().toIntOrNull()?.let { runs[it]++ } }
        Files.deleteIfExists(log)
    }
    val count = { kind: Int -> (0 until plan.tasks).count { outcome.get(it) == kind } }
    ChaosReport(
        tasks = plan.tasks,
        results = count(RESULT),
        wrongResults = count(WRONG),
        errors = count(ERROR),
        crashes = count(CRASH),
        cancelled = count(CANCELLED),
        unexpected = (0 until plan.tasks).mapNotNull { i -> unexpected.get(i)?.let { "task $i: $it" } },
        lost = lostIndexes.size,
        duplicatedAnswers = (0 until plan.tasks).count { answers.get(it) > 1 },
        duplicatedRuns = runs.count { it > 1 },
        succeededButNotRunOnce = (0 until plan.tasks).count { outcome.get(it) == RESULT && runs[it] != 1 },
        kills = killer.kills.get(),
    )
}

/**
 * Waits for [job] as long as [progress] keeps moving: returns when it completes, or once [progress] has not changed for
 * [stallMillis]. A deadline on stalls, not on total time, so that a slow, loaded machine makes a run long but never
 * makes it fail.
 */
suspend fun awaitWhileProgressing(job: Job, progress: () -> Int, stallMillis: Long) {
    var last = progress()
    var lastChange = System.nanoTime()
    while (!job.isCompleted) {
        delay(200) // a poll of a counter, not a synchronisation
        val now = progress()
        if (now != last) {
            last = now
            lastChange = System.nanoTime()
        } else if (System.nanoTime() - lastChange > stallMillis * 1_000_000) {
            println("chaos: no caller answered for $stallMillis ms; giving up on the $now-th answer")
            return
        }
    }
}
