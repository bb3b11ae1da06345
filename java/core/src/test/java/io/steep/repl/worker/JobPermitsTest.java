package io.steep.repl.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobPermitsTest {
    private final JobPermits permits = new JobPermits();
    private final List<String> woken = new ArrayList<>();

    private boolean acquire(String db, int limit) {
        return permits.tryAcquire(db, limit, () -> woken.add(db));
    }

    @Test
    void theLimitIsSharedByEveryDatabase() {
        assertThat(acquire("shop", 2)).isTrue();
        assertThat(acquire("crm", 2)).isTrue();
        assertThat(acquire("shop", 2)).isFalse();
        assertThat(acquire("crm", 2)).isFalse();
    }

    @Test
    void aFreedPermitGoesToTheWaitingDatabaseNotToTheOneThatHadIt() {
        assertThat(acquire("shop", 1)).isTrue();
        assertThat(acquire("crm", 1)).isFalse();

        permits.release("shop");

        assertThat(woken).containsExactly("crm");
        assertThat(acquire("shop", 1)).isFalse();
        assertThat(acquire("crm", 1)).isTrue();
        assertThat(acquire("shop", 1)).isFalse();
    }

    @Test
    void aDatabaseRefusedOnlyBecauseOfItsOwnJobsDoesNotGoFirst() {
        // shop claims up to the limit and is refused next, before crm asks at all
        assertThat(acquire("shop", 1)).isTrue();
        assertThat(acquire("shop", 1)).isFalse();
        assertThat(acquire("crm", 1)).isFalse();

        permits.release("shop");

        assertThat(acquire("shop", 1)).isFalse();
        assertThat(acquire("crm", 1)).isTrue();
    }

    @Test
    void theDatabaseThatRunsFewerJobsComesFirst() {
        assertThat(acquire("shop", 3)).isTrue();
        assertThat(acquire("shop", 3)).isTrue();
        assertThat(acquire("crm", 3)).isTrue();
        assertThat(acquire("shop", 3)).isFalse();
        assertThat(acquire("crm", 3)).isFalse();

        permits.release("shop");

        // one job each now, and shop's last permit is the older one
        assertThat(acquire("crm", 3)).isFalse();
        assertThat(acquire("shop", 3)).isTrue();
        permits.release("crm");
        // crm runs none, shop two: crm first, though shop asked before it
        assertThat(acquire("shop", 3)).isFalse();
        assertThat(acquire("crm", 3)).isTrue();
    }

    @Test
    void aDatabaseWithoutJobsKeepsNobodyWaiting() {
        assertThat(acquire("shop", 1)).isTrue();
        assertThat(acquire("crm", 1)).isFalse();
        permits.release("shop");

        permits.noDemand("crm");

        assertThat(acquire("shop", 1)).isTrue();
    }

    @Test
    void aForgottenDatabaseGivesItsPermitsBack() {
        assertThat(acquire("shop", 1)).isTrue();
        assertThat(acquire("crm", 1)).isFalse();

        permits.forget("shop");

        assertThat(permits.held("shop")).isZero();
        assertThat(acquire("crm", 1)).isTrue();
    }
}
