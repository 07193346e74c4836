package io.vigil.event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares two events field by field: every slot (value and type), the raw text (and so every field
 * reached through {@link Event#all()}), origin and index.
 */
final class EventAssert {
  private EventAssert() {}

  static void assertSameEvent(Event actual, Event expected, String where) {
    FieldSchema schema = expected.schema();
    assertThat(actual.schema()).as(where).isSameAs(schema);
    for (int i = 0; i < schema.size(); i++) {
      Object a = actual.get(i);
      Object e = expected.get(i);
      assertThat(a).as("%s: slot %d (%s)", where, i, schema.paths().get(i)).isEqualTo(e);
      if (e != null) {
        assertThat(a.getClass())
            .as("%s: type of %s", where, schema.paths().get(i))
            .isEqualTo(e.getClass());
      }
    }
    assertThat(actual.raw()).as(where + ": raw").isEqualTo(expected.raw());
    assertThat(actual.origin()).as(where).isEqualTo(expected.origin());
    assertThat(actual.index()).as(where).isEqualTo(expected.index());
  }
}
