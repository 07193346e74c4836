package io.vigil.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

/**
 * A phrase of the full-text field, which is indexed without positions: the events holding every
 * word (from the index) are checked one by one on their stored JSON, where the words must follow
 * each other inside one value, with at most {@code slop} other words between them in all.
 */
final class PhraseCheckQuery extends Query {
  private final String[] words;
  private final int slop;

  PhraseCheckQuery(List<String> words, int slop) {
    this.words = words.toArray(new String[0]);
    this.slop = Math.max(0, slop);
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost)
      throws IOException {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (String w : words) {
      all.add(new TermQuery(new Term(EventDocuments.ALL, w)), BooleanClause.Occur.FILTER);
    }
    Query conjunction = searcher.rewrite(all.build());
    Weight inner = searcher.createWeight(conjunction, ScoreMode.COMPLETE_NO_SCORES, 1f);
    return new ConstantScoreWeight(this, boost) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
        Scorer approximation = inner.scorer(context);
        if (approximation == null) {
          return null;
        }
        StoredFields stored = context.reader().storedFields();
        TwoPhaseIterator check =
            new TwoPhaseIterator(approximation.iterator()) {
              @Override
              public boolean matches() throws IOException {
                String json = stored.document(approximation.docID()).get(EventDocuments.SOURCE);
                return json != null && contains(json);
              }

              @Override
              public float matchCost() {
                return 10_000; // a stored document read and parsed
              }
            };
        return new DefaultScorerSupplier(new ConstantScoreScorer(score(), scoreMode, check));
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return true;
      }
    };
  }

  /** Whether one value of the event holds the phrase. */
  boolean contains(String json) {
    boolean[] found = {false};
    List<String> scratch = new ArrayList<>();
    EventDocuments.forEachText(
        json,
        value -> {
          if (found[0]) {
            return;
          }
          scratch.clear();
          WordStream.split(value, scratch);
          found[0] = matchesIn(scratch);
        });
    return found[0];
  }

  private boolean matchesIn(List<String> valueWords) {
    int n = valueWords.size();
    for (int start = 0; start + words.length <= n; start++) {
      if (!valueWords.get(start).equals(words[0])) {
        continue;
      }
      int at = start;
      int skipped = 0;
      int k = 1;
      while (k < words.length) {
        int next = at + 1;
        while (next < n
            && skipped + (next - at - 1) <= slop
            && !valueWords.get(next).equals(words[k])) {
          next++;
        }
        if (next >= n || skipped + (next - at - 1) > slop) {
          break;
        }
        skipped += next - at - 1;
        at = next;
        k++;
      }
      if (k == words.length) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(EventDocuments.ALL)) {
      Term[] terms = new Term[words.length];
      for (int i = 0; i < words.length; i++) {
        terms[i] = new Term(EventDocuments.ALL, words[i]);
      }
      visitor.consumeTerms(this, terms);
    }
  }

  @Override
  public String toString(String field) {
    return "\"" + String.join(" ", words) + "\"" + (slop > 0 ? "~" + slop : "");
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other)
        && slop == ((PhraseCheckQuery) other).slop
        && Arrays.equals(words, ((PhraseCheckQuery) other).words);
  }

  @Override
  public int hashCode() {
    return classHash() * 31 + Arrays.hashCode(words) * 7 + slop;
  }
}
