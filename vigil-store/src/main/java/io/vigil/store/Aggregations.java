package io.vigil.store;

import java.io.IOException;
import java.util.Collection;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/** Collectors over the time doc values: time range, time histogram. */
final class Aggregations {
  private Aggregations() {}

  /** [min, max] event time of the matches; min &gt; max when nothing matched. */
  static CollectorManager<TimeRange, long[]> timeRange() {
    return new CollectorManager<>() {
      @Override
      public TimeRange newCollector() {
        return new TimeRange();
      }

      @Override
      public long[] reduce(Collection<TimeRange> collectors) {
        long[] r = {Long.MAX_VALUE, Long.MIN_VALUE};
        for (TimeRange c : collectors) {
          r[0] = Math.min(r[0], c.min);
          r[1] = Math.max(r[1], c.max);
        }
        return r;
      }
    };
  }

  /** Counts of matches per bucket [lo + i*width, lo + (i+1)*width). */
  static CollectorManager<Histogram, long[]> histogram(long lo, long width, int n) {
    return new CollectorManager<>() {
      @Override
      public Histogram newCollector() {
        return new Histogram(lo, width, n);
      }

      @Override
      public long[] reduce(Collection<Histogram> collectors) {
        long[] r = new long[n];
        for (Histogram c : collectors) {
          for (int i = 0; i < n; i++) {
            r[i] += c.counts[i];
          }
        }
        return r;
      }
    };
  }

  private abstract static class TimeCollector extends SimpleCollector {
    NumericDocValues times;

    @Override
    protected void doSetNextReader(LeafReaderContext context) throws IOException {
      times = DocValues.getNumeric(context.reader(), EventDocuments.TIME);
    }

    @Override
    public ScoreMode scoreMode() {
      return ScoreMode.COMPLETE_NO_SCORES;
    }

    @Override
    public void setScorer(Scorable scorer) {}
  }

  static final class TimeRange extends TimeCollector {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;

    @Override
    public void collect(int doc) throws IOException {
      if (times.advanceExact(doc)) {
        long t = times.longValue();
        min = Math.min(min, t);
        max = Math.max(max, t);
      }
    }
  }

  static final class Histogram extends TimeCollector {
    final long lo;
    final long width;
    final long[] counts;

    Histogram(long lo, long width, int n) {
      this.lo = lo;
      this.width = width;
      this.counts = new long[n];
    }

    @Override
    public void collect(int doc) throws IOException {
      if (times.advanceExact(doc)) {
        long t = times.longValue();
        if (t >= lo) {
          long i = (t - lo) / width;
          if (i < counts.length) {
            counts[(int) i]++;
          }
        }
      }
    }
  }
}
