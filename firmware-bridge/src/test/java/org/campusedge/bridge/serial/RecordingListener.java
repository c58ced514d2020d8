package org.campusedge.bridge.serial;

import org.campusedge.bridge.CardRead;
import org.campusedge.bridge.ReaderListener;
import org.campusedge.bridge.ReaderStatus;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Collects what a reader reports, for tests to wait on. */
public final class RecordingListener implements ReaderListener {

    public final BlockingQueue<CardRead> reads = new LinkedBlockingQueue<>();
    public final BlockingQueue<ReaderStatus> statuses = new LinkedBlockingQueue<>();

    @Override
    public void onCardRead(CardRead read) {
        reads.add(read);
    }

    @Override
    public void onStatus(ReaderStatus status) {
        statuses.add(status);
    }

    /** The next status report, failing the test if none comes within {@code within}. */
    public ReaderStatus nextStatus(Duration within) throws InterruptedException {
        ReaderStatus s = statuses.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(s).as("a status report within %s", within).isNotNull();
        return s;
    }

    /** The next card read, failing the test if none comes within {@code within}. */
    public CardRead nextRead(Duration within) throws InterruptedException {
        CardRead r = reads.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r).as("a card read within %s", within).isNotNull();
        return r;
    }
}
