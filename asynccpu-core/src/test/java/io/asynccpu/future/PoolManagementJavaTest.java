package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.asynccpu.InitTask;
import io.asynccpu.ProcessPool;
import io.asynccpu.ProcessPoolConfig;
import io.asynccpu.ReadStateTask;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pool-management settings from Java: sizing, initializer, finalizer, start attempts. */
class PoolManagementJavaTest {

    @Test
    void builderSetsSizingInitializerAndFinalizer() throws Exception {
        try (ProcessPool pool =
                ProcessPool.builder()
                        .maxWorkers(2)
                        .minWorkers(0)
                        .idleTimeout(Duration.ofSeconds(30))
                        .maxTasksPerWorker(10)
                        .maxStartAttempts(2)
                        .initializer(new InitTask("from-java", ""))
                        .build()) {
            ProcessPoolConfig config = pool.getConfig();
            assertEquals(0, config.getMinWorkers());
            assertEquals(30_000L, config.getIdleTimeoutMillis());
            assertEquals(10, config.getMaxTasksPerWorker());
            assertEquals(2, config.getMaxStartAttempts());
            assertEquals("from-java", pool.invoke(new ReadStateTask("init")));
        }
    }

    @Test
    void invalidSizingIsRefusedAtBuild() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessPool.builder().maxWorkers(2).minWorkers(3).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessPool.builder().idleTimeout(Duration.ZERO).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ProcessPool.builder().maxStartAttempts(0).build());
    }
}
