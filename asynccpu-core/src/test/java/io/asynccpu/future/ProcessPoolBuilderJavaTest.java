package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.PoolClosedException;
import io.asynccpu.ProcessPool;
import io.asynccpu.ProcessPoolConfig;
import io.asynccpu.SumOfSquares;
import io.asynccpu.WorkerOutputListener;
import io.asynccpu.WorkerStream;
import io.asynccpu.spi.PoolExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ProcessPool.builder() from Java: every setting, validation, and try-with-resources. */
class ProcessPoolBuilderJavaTest {

    static final class Named implements PoolExtension {
        @Override
        public String getName() {
            return "named-extension";
        }
    }

    @Test
    void builderConfiguresEverythingTheKotlinDslDoes() {
        WorkerOutputListener listener = (worker, stream, line) -> {};
        PoolExtension extension = new Named();
        try (ProcessPool pool =
                ProcessPool.builder()
                        .name("java-built")
                        .maxWorkers(2)
                        .tasksPerWorker(3)
                        .startEagerly(false)
                        .addJvmArgs("-Xmx64m", "-Dfirst=1")
                        .addJvmArgs(List.of("-Dsecond=2"))
                        .javaHome(Path.of(System.getProperty("java.home")))
                        .classpath(System.getProperty("java.class.path"))
                        .environment("ONE", "1")
                        .environment(Map.of("TWO", "2"))
                        .cancelGracePeriod(Duration.ofMillis(1500))
                        .maxFrameSize(1 << 20)
                        .cancelPendingOnClose(true)
                        .shutdownTimeout(Duration.ofSeconds(7))
                        .workerOutput(listener)
                        .install(extension)
                        .install(new Named())
                        .configure(kotlinBuilder -> kotlinBuilder.setTasksPerWorker(4))
                        .build()) {
            ProcessPoolConfig config = pool.getConfig();
            assertEquals("java-built", config.getName());
            assertEquals(2, config.getMaxWorkers());
            assertEquals(
                    4,
                    config.getTasksPerWorker(),
                    "configure(...) runs in order, after tasksPerWorker(3)");
            assertFalse(config.getStartEagerly());
            assertEquals(List.of("-Xmx64m", "-Dfirst=1", "-Dsecond=2"), config.getJvmArgs());
            assertEquals(System.getProperty("java.home"), config.getJavaHome());
            assertEquals(System.getProperty("java.class.path"), config.getClasspath());
            assertEquals(Map.of("ONE", "1", "TWO", "2"), config.getEnvironment());
            assertEquals(1500, config.getCancelGracePeriodMillis());
            assertEquals(1 << 20, config.getMaxFrameSize());
            assertTrue(config.getCancelPendingOnClose());
            assertEquals(7000, config.getShutdownTimeoutMillis());
            assertSame(listener, config.getWorkerOutput());
            assertEquals(
                    List.of(extension),
                    config.getExtensions(),
                    "the same extension name installs once");
        }
    }

    @Test
    void invalidSettingsAreRefusedByBuild() {
        assertThrows(
                IllegalArgumentException.class, () -> ProcessPool.builder().maxWorkers(0).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessPool.builder().tasksPerWorker(0).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessPool.builder().cancelGracePeriod(Duration.ofSeconds(-1)).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessPool.builder().shutdownTimeout(Duration.ofMillis(-5)).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessPool.builder().maxFrameSize(10).build());
    }

    @Test
    void tryWithResourcesRunsTasksAndClosesThePool() throws Exception {
        ProcessPool closed;
        try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).build()) {
            assertEquals(285L, pool.invoke(new SumOfSquares(10)));
            closed = pool;
        }
        assertThrows(PoolClosedException.class, () -> closed.submitAsync(new SumOfSquares(1)));
        assertThrows(
                PoolClosedException.class,
                () -> closed.submitAsync(JavaTasks.CountPrimes.class, 10L));
        closed.close(); // harmless
    }

    @Test
    void jvmArgsEnvironmentAndOutputListenerReachTheWorkers() throws Exception {
        CompletableFuture<String> printed = new CompletableFuture<>();
        try (ProcessPool pool =
                ProcessPool.builder()
                        .maxWorkers(1)
                        .addJvmArgs("-Dasynccpu.java.test=from-builder")
                        .environment("ASYNCCPU_JAVA_TEST", "env-from-builder")
                        .workerOutput(
                                (worker, stream, line) -> {
                                    if (stream == WorkerStream.STDOUT
                                            && line.startsWith("hello from"))
                                        printed.complete(line);
                                })
                        .build()) {
            assertEquals(
                    "from-builder",
                    pool.invoke(JavaTasks.ReadProperty.class, "asynccpu.java.test"));
            assertEquals(
                    "env-from-builder", pool.invoke(JavaTasks.ReadEnv.class, "ASYNCCPU_JAVA_TEST"));
            assertNull(pool.invoke(JavaTasks.ReadEnv.class, "ASYNCCPU_JAVA_TEST_UNSET"));
            assertEquals("printed", pool.invoke(JavaTasks.Print.class, "hello from a Java task"));
            assertEquals("hello from a Java task", printed.get(60, TimeUnit.SECONDS));
        }
    }
}
