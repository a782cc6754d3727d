package io.asynccpu.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.ProcessPool;
import io.asynccpu.ProcessPoolBuilder;
import io.asynccpu.future.JavaProcessPoolBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Log forwarding set up from Java: ProcessPool.builder() with LogForwardingPools.forwardLogsTo and
 * a Java listener.
 */
class ForwardLogsJavaTest {

    /** The records of logger "java.task", as "LEVEL message", in arrival order. */
    static List<String> taskRecords(ConcurrentLinkedQueue<LogRecord> records) {
        return records.stream()
                .filter(r -> r.getLoggerName().equals("java.task"))
                .map(r -> r.getLevel() + " " + r.getMessage())
                .collect(Collectors.toList());
    }

    static JavaProcessPoolBuilder builder() {
        return ProcessPool.builder().maxWorkers(1).cancelGracePeriod(Duration.ofSeconds(60));
    }

    @Test
    void javaListenerReceivesTheWorkersRecordsAtTheChosenLevelBeforeTheResult() throws Exception {
        ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();
        try (ProcessPool pool =
                builder()
                        .configure(LogForwardingPools.forwardLogsTo(LogLevel.DEBUG, records::add))
                        .build()) {
            long workerPid = pool.invoke(JavaLoggingTasks.LogAtEveryLevel.class, "from java");

            // Records are delivered before the result, so no waiting is needed here.
            assertEquals(
                    List.of("DEBUG debug from java", "INFO info from java", "WARN warn from java"),
                    taskRecords(records),
                    "TRACE is below the chosen level");
            assertNotEquals(ProcessHandle.current().pid(), workerPid);
            for (LogRecord record : records) {
                if (!record.getLoggerName().equals("java.task")) continue;
                assertEquals(workerPid, record.getWorkerPid());
                assertNotNull(record.getTaskId(), "a record made inside a task names the task");
                assertNotNull(record.getTimestamp());
                assertTrue(record.getThrowable() == null);
            }
            LogForwarding forwarding = LogForwardingPools.getLogForwarding(pool);
            assertEquals(LogLevel.DEBUG, forwarding.getLevel());
        }
    }

    @Test
    void defaultLevelIsInfoAndCanBeRaisedFromJavaWhileThePoolRuns() throws Exception {
        ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();
        try (ProcessPool pool =
                builder().configure(LogForwardingPools.forwardLogsTo(records::add)).build()) {
            pool.invoke(JavaLoggingTasks.LogAtEveryLevel.class, "first");
            assertEquals(List.of("INFO info first", "WARN warn first"), taskRecords(records));

            LogForwarding forwarding = LogForwardingPools.getLogForwarding(pool);
            assertEquals(LogLevel.INFO, forwarding.getLevel());
            forwarding.setLevel("java.task", LogLevel.WARN);
            records.clear();
            pool.invoke(JavaLoggingTasks.LogAtEveryLevel.class, "second");
            assertEquals(List.of("WARN warn second"), taskRecords(records));
        }
    }

    @Test
    void forwardingTwiceOnOneBuilderIsRefusedAndAPoolWithoutForwardingSaysHowToAddIt() {
        Consumer<ProcessPoolBuilder> forward = LogForwardingPools.forwardLogsTo(record -> {});
        JavaProcessPoolBuilder builder = builder().startEagerly(false).configure(forward);
        IllegalStateException twice =
                assertThrows(IllegalStateException.class, () -> builder.configure(forward));
        assertTrue(twice.getMessage().contains("already"), twice.getMessage());

        try (ProcessPool plain = builder().startEagerly(false).build()) {
            IllegalStateException missing =
                    assertThrows(
                            IllegalStateException.class,
                            () -> LogForwardingPools.getLogForwarding(plain));
            assertTrue(missing.getMessage().contains("forwardLogs"), missing.getMessage());
        }
    }
}
