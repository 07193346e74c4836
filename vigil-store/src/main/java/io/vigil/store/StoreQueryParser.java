package io.vigil.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.AutomatonQuery;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.Operations;

/**
 * Lucene's classic query syntax over the store's fields: {@code field:value} is an exact,
 * case-insensitive match of the whole value ({@code *} and {@code ?} wildcards allowed, also
 * leading), a bare word or phrase searches the words of every field, and a range whose bounds are
 * numbers ({@code EventID:[4600 TO 4700]}) compares numbers.
 */
final class StoreQueryParser extends QueryParser {
  /**
   * Analyzer: for {@link EventDocuments#ALL}, words are runs of letters and digits (so {@code
   * mimikatz} finds {@code Mimikatz.exe} and {@code net.webclient} is the phrase "net webclient");
   * every other field is one lowercased token, the whole value.
   */
  static final class StoreAnalyzer extends Analyzer {
    StoreAnalyzer() {
      super(TWO_KINDS);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      Tokenizer source;
      if (EventDocuments.ALL.equals(fieldName)) {
        source = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
      } else {
        source = new KeywordTokenizer(EventDocuments.MAX_KEYWORD_CHARS * 2 + 2);
      }
      return new TokenStreamComponents(source, new LowerCaseFilter(source));
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
      return new LowerCaseFilter(in);
    }

    @Override
    public int getPositionIncrementGap(String fieldName) {
      return 100; // a phrase never spans two values
    }
  }

  /** Reuses one set of components for the full-text field and one for all keyword fields. */
  private static final Analyzer.ReuseStrategy TWO_KINDS =
      new Analyzer.ReuseStrategy() {
        @Override
        public Analyzer.TokenStreamComponents getReusableComponents(
            Analyzer analyzer, String fieldName) {
          Object stored = getStoredValue(analyzer);
          return stored == null
              ? null
              : ((Analyzer.TokenStreamComponents[]) stored)[kind(fieldName)];
        }

        @Override
        public void setReusableComponents(
            Analyzer analyzer, String fieldName, Analyzer.TokenStreamComponents components) {
          Object stored = getStoredValue(analyzer);
          if (stored == null) {
            stored = new Analyzer.TokenStreamComponents[2];
            setStoredValue(analyzer, stored);
          }
          ((Analyzer.TokenStreamComponents[]) stored)[kind(fieldName)] = components;
        }

        private int kind(String fieldName) {
          return EventDocuments.ALL.equals(fieldName) ? 0 : 1;
        }
      };

  static final Analyzer ANALYZER = new StoreAnalyzer();

  private static final long SAFE_DOUBLE = EventDocuments.SAFE_DOUBLE;

  private static final Pattern COLUMN = Pattern.compile("column (\\d+)");

  private StoreQueryParser() {
    super(EventDocuments.ALL, ANALYZER);
    setAllowLeadingWildcard(true);
    setSplitOnWhitespace(true);
    setAutoGeneratePhraseQueries(true);
    // Bare clauses are ANDed: an analyst adding a word narrows the hunt.
    setDefaultOperator(Operator.AND);
  }

  /** Parses an analyst's query; "" and "*" match everything. */
  static Query parseQuery(String query) throws QueryException {
    if (query == null || query.isBlank() || query.strip().equals("*")) {
      return new MatchAllDocsQuery();
    }
    String problem = balanceProblem(query);
    if (problem != null) {
      throw new QueryException(problem + ": " + query);
    }
    try {
      return new StoreQueryParser().parse(query);
    } catch (ParseException e) {
      throw new QueryException(describe(query, e), e);
    } catch (IndexSearcher.TooManyClauses e) {
      throw new QueryException(
          "query has too many clauses (limit "
              + IndexSearcher.getMaxClauseCount()
              + "): use fewer OR terms or a wildcard: "
              + query,
          e);
    }
  }

  /**
   * In the full-text field: one word is a term, several words (a quoted phrase, or {@code
   * net.webclient}) a phrase, split by {@link WordStream#split} exactly as the index splits values.
   */
  @Override
  protected Query getFieldQuery(String field, String queryText, boolean quoted)
      throws ParseException {
    if (!EventDocuments.ALL.equals(field)) {
      return super.getFieldQuery(field, queryText, quoted);
    }
    return words(queryText, 0);
  }

  @Override
  protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
    if (!EventDocuments.ALL.equals(field)) {
      return super.getFieldQuery(field, queryText, slop);
    }
    return words(queryText, slop);
  }

  /**
   * One word: the word in {@link EventDocuments#ALL} or {@link EventDocuments#FLAT}. Several: the
   * phrase from the positions of {@link EventDocuments#ALL}, or, when the text is a machine value
   * (a GUID, a timestamp, a decimal), that whole value in {@link EventDocuments#FLAT}.
   */
  private static Query words(String text, int slop) {
    List<String> words = new ArrayList<>();
    WordStream.split(text, words);
    if (words.isEmpty()) {
      return null;
    }
    if (words.size() == 1) {
      String w = words.getFirst();
      return either(
          new TermQuery(new Term(EventDocuments.ALL, w)),
          new TermQuery(new Term(EventDocuments.FLAT, w)));
    }
    PhraseQuery.Builder b = new PhraseQuery.Builder();
    for (String w : words) {
      b.add(new Term(EventDocuments.ALL, w));
    }
    b.setSlop(slop);
    PhraseQuery phrase = b.build();
    String stripped = text.strip();
    if (WordStream.shape(stripped) != WordStream.MACHINE) {
      return phrase;
    }
    String key = EventDocuments.machineKey(EventDocuments.lower(stripped));
    return either(phrase, new TermQuery(new Term(EventDocuments.FLAT, key)));
  }

  private static Query either(Query a, Query b) {
    return new BooleanQuery.Builder()
        .add(a, BooleanClause.Occur.SHOULD)
        .add(b, BooleanClause.Occur.SHOULD)
        .build();
  }

  /** A query of one field, built by the parser. */
  private interface InField {
    Query in(String field) throws ParseException;
  }

  /**
   * A bare (field-less) query also searches the words without positions: the query in {@link
   * EventDocuments#ALL} or in {@link EventDocuments#FLAT}.
   */
  private static Query alsoFlat(String field, InField query) throws ParseException {
    Query q = query.in(field);
    return EventDocuments.ALL.equals(field) && !(q instanceof MatchAllDocsQuery)
        ? either(q, query.in(EventDocuments.FLAT))
        : q;
  }

  @Override
  protected Query getWildcardQuery(String field, String termStr) throws ParseException {
    return alsoFlat(field, f -> super.getWildcardQuery(f, termStr));
  }

  @Override
  protected Query getPrefixQuery(String field, String termStr) throws ParseException {
    return alsoFlat(field, f -> super.getPrefixQuery(f, termStr));
  }

  @Override
  protected Query getFuzzyQuery(String field, String termStr, float minSimilarity)
      throws ParseException {
    return alsoFlat(field, f -> super.getFuzzyQuery(f, termStr, minSimilarity));
  }

  @Override
  protected Query getRegexpQuery(String field, String termStr) throws ParseException {
    return alsoFlat(field, f -> super.getRegexpQuery(f, termStr));
  }

  /**
   * Whether {@code field} is one of the store's own ({@link EventDocuments#ALL}, {@link
   * EventDocuments#FLAT}); any other field is a path of the events, searched in {@link
   * EventDocuments#KEYWORDS}.
   */
  private static boolean internal(String field) {
    return field.startsWith("vigil#");
  }

  /** The text before a path's values in {@link EventDocuments#KEYWORDS} terms. */
  private static String pathPrefix(String path) {
    return EventDocuments.keywordPath(path) + EventDocuments.PATH_END;
  }

  /** {@code path:value}: the term {@code path\0value} (the value lowercased by the analyzer). */
  @Override
  protected Query newTermQuery(Term term, float boost) {
    if (internal(term.field())) {
      return super.newTermQuery(term, boost);
    }
    return super.newTermQuery(
        new Term(EventDocuments.KEYWORDS, EventDocuments.keywordTerm(term.field(), term.text())),
        boost);
  }

  /**
   * {@code path:wild*card}: the pattern after the path's prefix ({@code path:*}, any value of the
   * path, is that prefix).
   */
  @Override
  protected Query newWildcardQuery(Term t) {
    if (internal(t.field())) {
      return super.newWildcardQuery(t);
    }
    String path = EventDocuments.keywordPath(t.field());
    if (t.text().equals("*")) {
      return new PrefixQuery(new Term(EventDocuments.KEYWORDS, pathPrefix(t.field())));
    }
    StringBuilder escaped = new StringBuilder(path.length() + t.text().length() + 2);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == WildcardQuery.WILDCARD_STRING
          || c == WildcardQuery.WILDCARD_CHAR
          || c == WildcardQuery.WILDCARD_ESCAPE) {
        escaped.append(WildcardQuery.WILDCARD_ESCAPE);
      }
      escaped.append(c);
    }
    escaped.append(EventDocuments.PATH_END).append(t.text());
    return new WildcardQuery(
        new Term(EventDocuments.KEYWORDS, escaped.toString()),
        getDeterminizeWorkLimit(),
        getMultiTermRewriteMethod());
  }

  /** {@code path:prefix*}: the terms starting with {@code path\0prefix}. */
  @Override
  protected Query newPrefixQuery(Term t) {
    if (internal(t.field())) {
      return super.newPrefixQuery(t);
    }
    return new PrefixQuery(
        new Term(EventDocuments.KEYWORDS, pathPrefix(t.field()) + t.text()),
        getMultiTermRewriteMethod());
  }

  /** {@code path:/regex/}: the regular expression after the path's prefix. */
  @Override
  protected Query newRegexpQuery(Term t) {
    if (internal(t.field())) {
      return super.newRegexpQuery(t);
    }
    RegexpQuery base = (RegexpQuery) super.newRegexpQuery(t);
    Automaton after =
        Operations.concatenate(
            List.of(Automata.makeString(pathPrefix(t.field())), base.getAutomaton()));
    return new AutomatonQuery(
        new Term(EventDocuments.KEYWORDS, pathPrefix(t.field()) + "/" + t.text() + "/"),
        Operations.determinize(after, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT),
        false,
        base.getRewriteMethod());
  }

  /** {@code path:value~}: edits of the value only (the path is a fixed prefix). */
  @Override
  protected Query newFuzzyQuery(Term term, float minimumSimilarity, int prefixLength) {
    if (internal(term.field())) {
      return super.newFuzzyQuery(term, minimumSimilarity, prefixLength);
    }
    FuzzyQuery base = (FuzzyQuery) super.newFuzzyQuery(term, minimumSimilarity, prefixLength);
    String prefix = pathPrefix(term.field());
    return new FuzzyQuery(
        new Term(EventDocuments.KEYWORDS, prefix + term.text()),
        base.getMaxEdits(),
        prefix.codePointCount(0, prefix.length()) + base.getPrefixLength(),
        FuzzyQuery.defaultMaxExpansions,
        base.getTranspositions());
  }

  /**
   * {@code path:[a TO b]} of text: the terms between {@code path\0a} and {@code path\0b}; an open
   * bound is the first or last value of the path.
   */
  @Override
  protected Query newRangeQuery(
      String field, String part1, String part2, boolean startInclusive, boolean endInclusive) {
    if (internal(field)) {
      return super.newRangeQuery(field, part1, part2, startInclusive, endInclusive);
    }
    String prefix = pathPrefix(field);
    String lower = part1 == null ? prefix : prefix + part1;
    String upper =
        part2 == null
            ? EventDocuments.keywordPath(field) + (char) (EventDocuments.PATH_END + 1)
            : prefix + part2;
    return TermRangeQuery.newStringRange(
        EventDocuments.KEYWORDS,
        lower,
        upper,
        part1 == null || startInclusive,
        part2 != null && endInclusive);
  }

  /** A range of numbers when both bounds are numbers (or open), else of lowercased text. */
  @Override
  protected Query getRangeQuery(
      String field, String part1, String part2, boolean startInclusive, boolean endInclusive)
      throws ParseException {
    if (EventDocuments.ALL.equals(field)) {
      throw new ParseException(
          "a range needs a field name, e.g. EventID:[4600 TO 4700] (got ["
              + part1
              + " TO "
              + part2
              + "])");
    }
    Double lo = part1 == null ? null : number(part1);
    Double hi = part2 == null ? null : number(part2);
    boolean numeric = (part1 == null || lo != null) && (part2 == null || hi != null);
    if (!numeric || (part1 == null && part2 == null)) {
      return super.getRangeQuery(field, part1, part2, startInclusive, endInclusive);
    }
    double dlo = lo == null ? Double.NEGATIVE_INFINITY : lo;
    double dhi = hi == null ? Double.POSITIVE_INFINITY : hi;
    if (!startInclusive) {
      dlo = Math.nextUp(dlo);
    }
    if (!endInclusive) {
      dhi = Math.nextDown(dhi);
    }
    if (dlo > dhi) {
      return new MatchNoDocsQuery("empty range");
    }
    // Numbers are in the double field, except integers beyond +-2^53, which are in the exact long
    // field only: a range reaching that far searches both.
    Query doubles = DoublePoint.newRangeQuery(field + EventDocuments.DOUBLE_SUFFIX, dlo, dhi);
    if (dlo > -SAFE_DOUBLE && dhi < SAFE_DOUBLE) {
      return doubles;
    }
    Long llo = part1 == null ? null : EventDocuments.parseLong(part1);
    Long lhi = part2 == null ? null : EventDocuments.parseLong(part2);
    long a =
        llo != null
            ? (startInclusive ? llo : llo + 1)
            : dlo <= Long.MIN_VALUE ? Long.MIN_VALUE : (long) Math.ceil(dlo);
    long b =
        lhi != null
            ? (endInclusive ? lhi : lhi - 1)
            : dhi >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(dhi);
    if (a > b) {
      return doubles;
    }
    return new BooleanQuery.Builder()
        .add(doubles, BooleanClause.Occur.SHOULD)
        .add(
            LongPoint.newRangeQuery(field + EventDocuments.LONG_SUFFIX, a, b),
            BooleanClause.Occur.SHOULD)
        .build();
  }

  private static Double number(String s) {
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Finds an unclosed quote or parenthesis before the parser does, to say where it is; null when
   * balanced.
   */
  static String balanceProblem(String q) {
    int depth = 0;
    int[] open = new int[q.length() + 1];
    boolean quoted = false;
    int quoteAt = -1;
    for (int i = 0; i < q.length(); i++) {
      char c = q.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
        quoteAt = i;
        continue;
      }
      if (quoted) {
        continue;
      }
      if (c == '(') {
        open[depth++] = i;
      } else if (c == ')') {
        if (depth == 0) {
          return "unbalanced parenthesis at column "
              + (i + 1)
              + ": this ')' closes nothing; remove it or add a '(' before it";
        }
        depth--;
      }
    }
    if (quoted) {
      return "unclosed quote at column "
          + (quoteAt + 1)
          + ": add the closing '\"' (write \\\" for a quote inside a phrase)";
    }
    if (depth > 0) {
      return "unbalanced parenthesis at column "
          + (open[depth - 1] + 1)
          + ": this '(' is never closed; add a ')'";
    }
    return null;
  }

  private static String describe(String query, ParseException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String detail = root.getMessage() == null ? e.getMessage() : root.getMessage();
    if (root instanceof ParseException pe && pe.currentToken != null) {
      var next = pe.currentToken.next;
      if (next != null) {
        String seen = next.kind == 0 ? "the end of the query" : "'" + next.image + "'";
        return "query syntax error at column "
            + (next.beginColumn + 1)
            + ": unexpected "
            + seen
            + " (quote or escape special characters + - && || ! ( ) { } [ ] ^ \" ~ * ? : \\ /"
            + " with \\): "
            + query;
      }
    }
    if (root instanceof IndexSearcher.TooManyClauses) {
      return "query has too many clauses (limit "
          + IndexSearcher.getMaxClauseCount()
          + "): "
          + query;
    }
    Matcher m = COLUMN.matcher(detail);
    String where = m.find() ? " at column " + m.group(1) : "";
    String firstLine = detail.lines().findFirst().orElse(detail);
    return "query syntax error" + where + ": " + firstLine + ": " + query;
  }
}
