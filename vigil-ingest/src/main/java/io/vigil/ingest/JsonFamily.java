package io.vigil.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Which kind of JSON log an input holds, told from the keys of its first record(s): Zeek, Suricata
 * EVE, AWS CloudTrail, or any other JSON (Windows event logs included), which is read as it is. The
 * first three are normalized: their events keep the source's fields and gain Elastic Common Schema
 * fields ({@link JsonNormalizer}).
 */
enum JsonFamily {
  /** Zeek logs written as JSON: {@code _path} and {@code id.orig_h}, or {@code @stream}. */
  ZEEK("zeek-json"),
  /** Suricata EVE JSON: {@code event_type}, {@code src_ip}, {@code flow_id}. */
  SURICATA("suricata"),
  /** AWS CloudTrail records: {@code eventSource}, {@code eventName}, {@code awsRegion}. */
  CLOUDTRAIL("cloudtrail"),
  /** Any other JSON, read as it is. */
  JSON("json");

  /** How many records at the start of an input are looked at before settling for plain JSON. */
  private static final int RECORDS_TRIED = 5;

  private static final JsonFactory FACTORY = new JsonFactory();

  private final String formatName;

  JsonFamily(String formatName) {
    this.formatName = formatName;
  }

  /** The name of the format as hosts report it ({@code zeek-json}, {@code cloudtrail} …). */
  String formatName() {
    return formatName;
  }

  /**
   * The family of a JSON input (JSON lines, an array, objects one after another, a CloudTrail
   * {@code {"Records":[…]}} file) from its first bytes. The first records that the bytes hold whole
   * or in part are examined; the first one that names a family decides.
   */
  static JsonFamily detect(byte[] head) {
    Set<String> keys = new HashSet<>();
    try (JsonParser p = FACTORY.createParser(head)) {
      int records = 0;
      JsonToken token;
      while (records < RECORDS_TRIED && (token = p.nextToken()) != null) {
        if (token != JsonToken.START_OBJECT) {
          continue; // the opening of an array: its elements are the records
        }
        keys.clear();
        if (readKeys(p, keys)) {
          continue; // a {"Records":[…]} envelope: its elements are the records
        }
        records++;
        JsonFamily family = of(keys);
        if (family != JSON) {
          return family;
        }
      }
    } catch (IOException e) {
      // The peeked bytes end inside a record, or a record is malformed: judge by what was seen.
      return of(keys);
    }
    return JSON;
  }

  /**
   * Reads the top-level keys of the object just opened, skipping values; true when the object is a
   * CloudTrail delivery envelope (a first key {@code Records} holding an array), which is then
   * entered, the parser standing on the array's start.
   */
  private static boolean readKeys(JsonParser p, Set<String> keys) throws IOException {
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      boolean first = keys.isEmpty();
      keys.add(key);
      JsonToken value = p.nextToken();
      if (first && key.equals("Records") && value == JsonToken.START_ARRAY) {
        return true;
      }
      p.skipChildren();
    }
    return false;
  }

  /** The family whose marks a record's top-level keys carry. */
  static JsonFamily of(Set<String> keys) {
    if (keys.contains("eventSource")
        && keys.contains("eventName")
        && (keys.contains("awsRegion")
            || keys.contains("eventTime")
            || keys.contains("userIdentity")
            || keys.contains("eventVersion"))) {
      return CLOUDTRAIL;
    }
    boolean zeekId =
        keys.contains("id.orig_h")
            || keys.contains("id_orig_h")
            || keys.contains("uid")
            || keys.contains("fuid");
    if (keys.contains("ts")
        && (keys.contains("_path") || keys.contains("@stream") || (zeekId && !otherSource(keys)))) {
      return ZEEK;
    }
    if (keys.contains("event_type")
        && (keys.contains("src_ip") || keys.contains("flow_id") || keys.contains("in_iface"))) {
      return SURICATA;
    }
    return JSON;
  }

  /** Keys that say a record with {@code ts} and {@code uid} is something else (Windows, ECS). */
  private static boolean otherSource(Set<String> keys) {
    return keys.contains("Channel")
        || keys.contains("EventID")
        || keys.contains("Event")
        || keys.contains("winlog")
        || keys.contains("event");
  }
}
