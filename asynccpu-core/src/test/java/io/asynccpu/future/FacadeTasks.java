package io.asynccpu.future;

import io.asynccpu.JavaTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Java tasks for the Java facade tests (JavaFacadeJavaTest). */
public final class FacadeTasks {
    private FacadeTasks() {}

    public static final class Square implements JavaTask<Long, Long> {
        @Override
        public Long call(Long x) {
            return x * x;
        }
    }

    /** Doubles its input, and fails at 7. */
    public static final class FailAtSeven implements JavaTask<Integer, Integer> {
        @Override
        public Integer call(Integer x) {
            if (x == 7) throw new IllegalStateException("no sevens");
            return x * 2;
        }
    }

    /** Reports progress step by step, from Java. */
    public static final class Steps implements JavaTask<Integer, String> {
        @Override
        public String call(Integer steps) {
            for (int i = 1; i <= steps; i++)
                JavaTask.reportProgress((double) i / steps, "step " + i + " of " + steps);
            return "done " + steps;
        }
    }

    /** An initializer: loads "the model" once per worker into a static field. */
    public static final class LoadModel implements JavaTask<String, Void> {
        static volatile String model;
        static volatile int loads;

        @Override
        public Void call(String name) {
            model = "model " + name;
            loads++;
            return null;
        }
    }

    /** Reads what the initializer loaded in this worker. */
    public static final class UseModel implements JavaTask<Void, String> {
        @Override
        public String call(Void input) {
            return LoadModel.model + " loaded " + LoadModel.loads + " time(s)";
        }
    }

    /** A finalizer: appends this worker's pid to a file. */
    public static final class RecordExit implements JavaTask<String, Void> {
        @Override
        public Void call(String path) throws IOException {
            Files.writeString(
                    Path.of(path),
                    ProcessHandle.current().pid() + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return null;
        }
    }
}
