package io.asynccpu.benchmarks

import io.asynccpu.benchmarks.codec.CodecBenchmark
import org.openjdk.jmh.runner.Runner
import org.openjdk.jmh.runner.options.OptionsBuilder
import org.openjdk.jmh.runner.options.VerboseMode

/** Runs the JMH [CodecBenchmark] in its own forked JVM and reports frames/s and MB/s per case. */
object CodecBench {
    fun run(report: (Figure) -> Unit) {
        val options = OptionsBuilder().include(CodecBenchmark::class.java.name).verbosity(VerboseMode.SILENT).build()
        val results = Runner(options).run()
        for (result in results.sortedBy { it.params.benchmark + it.params.getParam("size") }) {
            val method = result.params.benchmark.substringAfterLast('.')
            val size = result.params.getParam("size")
            val frames = result.primaryResult.score * CodecBenchmark.frames(size)
            val bytes = CodecBenchmark.wireBytesPerFrame(size, method.startsWith("run"))
            val name = "codec.$method.$size"
            report(Figure("$name.frames", frames, "frames/s", null, "$bytes B/frame, JMH"))
            report(Figure("$name.mb", frames * bytes / 1e6, "MB/s", null))
        }
    }
}
