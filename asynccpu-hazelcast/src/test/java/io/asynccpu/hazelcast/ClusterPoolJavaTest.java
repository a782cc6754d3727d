package io.asynccpu.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.asynccpu.ProcessPool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cluster pool from Java: a JavaTask through submitAsync. */
class ClusterPoolJavaTest {
    @Test
    void javaTaskThroughSubmitAsync() throws Exception {
        try (TestCluster cluster = new TestCluster(1, 1);
                ProcessPool pool =
                        new ClusterPoolBuilder()
                                .clusterName(cluster.getName())
                                .members(cluster.getAddresses().toArray(new String[0]))
                                .build()) {
            CompletableFuture<Integer> f = pool.submitAsync(JavaSquare.class, 12);
            assertEquals(144, f.get(60, TimeUnit.SECONDS));
        }
    }
}
