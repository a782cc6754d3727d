package io.asynccpu.benchmarks.codec;

import io.asynccpu.ProcessTask;
import io.asynccpu.benchmarks.EchoTask;
import io.asynccpu.benchmarks.IdentityTask;
import io.asynccpu.internal.codec.EncodedCall;
import io.asynccpu.internal.codec.Invocation;
import io.asynccpu.internal.codec.OutOfBand;
import io.asynccpu.internal.codec.TaskCodec;
import io.asynccpu.internal.codec.TaskType;
import io.asynccpu.internal.protocol.Frame;
import io.asynccpu.internal.protocol.FrameReader;
import io.asynccpu.internal.protocol.FrameWriter;
import io.asynccpu.internal.protocol.Messages;
import io.asynccpu.internal.protocol.RunHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import kotlin.Pair;
import kotlin.Unit;
import kotlinx.serialization.KSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The wire codec, both directions, for a small frame (W1's call: {@code IdentityTask(i)} and its
 * {@code Int} result, batches of {@value #SMALL_BATCH} frames per operation) and a large one (W4's
 * 16 MiB {@code ByteArray}, one frame per operation).
 *
 * <ul>
 *   <li>{@code runEncode}: the caller's side of a RUN: encode the task, build the frame, write it
 *       through the {@link FrameWriter} thread into a discarding stream, and wait for the flush.
 *   <li>{@code runDecode}: the worker's side: read the frame, split it, load and decode the task.
 *   <li>{@code resultEncode}, {@code resultDecode}: the same for the RESULT frame coming back.
 * </ul>
 *
 * Kotlin's {@code internal} is a compile-time rule of the Kotlin compiler; in bytecode these
 * classes are public, so this Java benchmark calls the core's codec as it is, with no facade.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
public class CodecBenchmark {
    public static final int SMALL_BATCH = 1000;
    public static final int LARGE_BYTES = 16 << 20;

    @Param({"small", "large"})
    public String size;

    private int batch;
    private ProcessTask<?>[] tasks;
    private Object[] results;
    private KSerializer<Object> resultSerializer;
    private byte[] runWire;
    private byte[] resultWire;
    private FrameWriter writer;
    private final ClassLoader loader = CodecBenchmark.class.getClassLoader();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        batch = frames(size);
        tasks = new ProcessTask<?>[batch];
        results = new Object[batch];
        byte[] large = size.equals("large") ? largePayload() : null;
        for (int i = 0; i < batch; i++) {
            tasks[i] = large != null ? new EchoTask(large) : new IdentityTask(i);
            results[i] = large != null ? large : (Object) i;
        }
        resultSerializer = TaskType.Companion.of(tasks[0].getClass()).getResultSerializer();
        runWire = wire(true);
        resultWire = wire(false);
        writer =
                new FrameWriter(
                        "bench-writer", () -> OutputStream.nullOutputStream(), t -> Unit.INSTANCE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        writer.close();
    }

    @Benchmark
    public void runEncode() {
        for (int i = 0; i < batch; i++) writer.send(runFrame(i));
        if (!writer.flush(60_000)) throw new IllegalStateException("flush timed out");
    }

    @Benchmark
    public void runDecode(Blackhole bh) {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(runWire), Integer.MAX_VALUE);
        for (int i = 0; i < batch; i++) {
            Frame frame = reader.readFrame();
            Pair<RunHeader, byte[]> run = Messages.INSTANCE.parseRun(frame);
            Invocation invocation =
                    TaskCodec.INSTANCE.decode(
                            run.getFirst(), run.getSecond(), loader, frame.getSegments());
            bh.consume(invocation);
        }
    }

    @Benchmark
    public void resultEncode() {
        for (int i = 0; i < batch; i++) writer.send(resultFrame(i));
        if (!writer.flush(60_000)) throw new IllegalStateException("flush timed out");
    }

    @Benchmark
    public void resultDecode(Blackhole bh) {
        FrameReader reader =
                new FrameReader(new ByteArrayInputStream(resultWire), Integer.MAX_VALUE);
        for (int i = 0; i < batch; i++) {
            Frame frame = reader.readFrame();
            bh.consume(Messages.INSTANCE.resultRunNanos(frame));
            bh.consume(
                    OutOfBand.INSTANCE.decode(
                            resultSerializer,
                            Messages.INSTANCE.resultBody(frame),
                            frame.getSegments()));
        }
    }

    private Frame runFrame(int i) {
        EncodedCall call = TaskCodec.INSTANCE.encodeTask(tasks[i], true);
        return Messages.INSTANCE.run(
                i, call.getHeader().runHead(), call.getBody(), call.getSegments(), false);
    }

    private Frame resultFrame(int i) {
        OutOfBand.Encoded encoded = OutOfBand.INSTANCE.encode(resultSerializer, results[i], true);
        return Messages.INSTANCE.result(i, 1234, encoded.getBody(), encoded.getSegments());
    }

    private byte[] wire(boolean run) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter("bench-fixture", () -> out, t -> Unit.INSTANCE);
        for (int i = 0; i < batch; i++) w.send(run ? runFrame(i) : resultFrame(i));
        if (!w.flush(60_000)) throw new IOException("fixture flush timed out");
        w.close();
        return out.toByteArray();
    }

    /** Frames per benchmark operation for a size parameter. */
    public static int frames(String size) {
        return size.equals("large") ? 1 : SMALL_BATCH;
    }

    /** Bytes on the wire per frame (header included), for MB/s. */
    public static long wireBytesPerFrame(String size, boolean run) throws IOException {
        CodecBenchmark b = new CodecBenchmark();
        b.size = size;
        b.setUp();
        b.tearDown();
        return (run ? b.runWire.length : b.resultWire.length) / b.batch;
    }

    private static byte[] largePayload() {
        byte[] b = new byte[LARGE_BYTES];
        for (int i = 0; i < b.length; i++) b[i] = (byte) i;
        return b;
    }
}
