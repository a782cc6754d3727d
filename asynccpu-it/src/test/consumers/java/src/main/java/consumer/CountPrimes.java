package consumer;

import io.asynccpu.JavaTask;

/** A task in plain Java: counts the primes below its input. */
public final class CountPrimes implements JavaTask<Long, Long> {
    @Override
    public Long call(Long limit) {
        long count = 0;
        for (long n = 2; n < limit; n++) {
            boolean prime = true;
            for (long d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) count++;
        }
        return count;
    }
}
