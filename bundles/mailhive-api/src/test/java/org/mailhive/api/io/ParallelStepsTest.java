package org.mailhive.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelStepsTest {

    @Test
    void togetherTheStepsRunAtTheSameTimeAndAllEndBeforeReturn() throws IOException {
        ParallelSteps p = new ParallelSteps("test-fsync", 4, true);
        CountDownLatch allStarted = new CountDownLatch(3);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger ended = new AtomicInteger();
        ParallelSteps.Step step = () -> {
            threads.add(Thread.currentThread().getName());
            allStarted.countDown();
            try {
                // each step waits for the others: only possible when they really run together
                assertTrue(allStarted.await(10, TimeUnit.SECONDS), "steps did not run together");
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            ended.incrementAndGet();
        };
        p.together(List.of(step, step, step));
        assertEquals(3, ended.get());
        assertEquals(3, threads.size());
    }

    @Test
    void inARowOnTheCallerByDefault() throws IOException {
        ParallelSteps p = new ParallelSteps("test-fsync", 4, false);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        p.together(List.of(() -> threads.add(Thread.currentThread().getName()),
                () -> threads.add(Thread.currentThread().getName())));
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
    }

    @Test
    void aFailureIsThrownOnlyAfterEveryStepRanInBothModes() {
        for (boolean parallel : new boolean[] {true, false}) {
            ParallelSteps p = new ParallelSteps("test-fsync", 4, parallel);
            IOException boom = new IOException("fsync failed");
            AtomicInteger ran = new AtomicInteger();
            IOException thrown = assertThrows(IOException.class, () -> p.together(List.of(() -> {
                ran.incrementAndGet();
                throw boom;
            }, ran::incrementAndGet, ran::incrementAndGet)));
            assertSame(boom, thrown);
            assertEquals(3, ran.get(), "parallel=" + parallel);
        }
    }
}
