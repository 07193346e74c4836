package io.vigil.scan.lockfile;

import io.vigil.scan.Ecosystem;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a Maven {@code pom.xml} on its own (no parent, no network): the dependencies of the project
 * and its profiles, versions taken from {@code dependencyManagement} of the same pom when missing,
 * and {@code ${…}} resolved from its {@code properties}, {@code project.version} and the parent's
 * version. Versions that stay unresolved or are ranges are reported as not checkable. DTDs and
 * external entities are refused.
 */
final class PomReader {
  private PomReader() {}

  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]{1,200})\\}");
  private static final int MAX_PROPERTY_DEPTH = 10;

  private static final class Dep {
    int line;
    boolean managed;
    String groupId = "";
    String artifactId = "";
    String version = "";
    String scope = "";
  }

  static String read(String content, Collector c) {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    Map<String, String> props = new HashMap<>();
    List<Dep> deps = new ArrayList<>();
    List<String> path = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    Dep cur = null;
    try {
      XMLStreamReader r = f.createXMLStreamReader(new StringReader(content));
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          path.add(r.getLocalName());
          if (path.size() > c.limits.maxNestingDepth()) {
            c.error(
                r.getLocation().getLineNumber(),
                "XML nested deeper than maxNestingDepth (" + c.limits.maxNestingDepth() + ")");
            break;
          }
          text.setLength(0);
          String p = String.join("/", path);
          if (p.equals("project/dependencies/dependency")
              || p.equals("project/profiles/profile/dependencies/dependency")
              || p.equals("project/dependencyManagement/dependencies/dependency")
              || p.equals(
                  "project/profiles/profile/dependencyManagement/dependencies/dependency")) {
            cur = new Dep();
            cur.line = r.getLocation().getLineNumber();
            cur.managed = p.contains("dependencyManagement");
          }
        } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
          if (text.length() < 4096) {
            text.append(r.getText());
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          String p = String.join("/", path);
          String value = text.toString().trim();
          if (cur != null && path.size() >= 2 && path.get(path.size() - 2).equals("dependency")) {
            switch (r.getLocalName()) {
              case "groupId" -> cur.groupId = value;
              case "artifactId" -> cur.artifactId = value;
              case "version" -> cur.version = value;
              case "scope" -> cur.scope = value;
              default -> {}
            }
          } else if (cur != null && r.getLocalName().equals("dependency")) {
            deps.add(cur);
            cur = null;
          } else if (path.size() == 3 && path.get(1).equals("properties")) {
            props.put(r.getLocalName(), value);
          } else if (p.equals("project/version")) {
            props.put("project.version", value);
            props.put("version", value);
          } else if (p.equals("project/groupId")) {
            props.put("project.groupId", value);
          } else if (p.equals("project/artifactId")) {
            props.put("project.artifactId", value);
          } else if (p.equals("project/parent/version")) {
            props.put("project.parent.version", value);
            props.put("parent.version", value);
          } else if (p.equals("project/parent/groupId")) {
            props.put("project.parent.groupId", value);
          }
          path.remove(path.size() - 1);
          text.setLength(0);
        }
      }
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
      String msg = e.getMessage();
      int nl = msg.indexOf("Message: ");
      c.error(
          line,
          "not well-formed XML: "
              + (nl >= 0 ? msg.substring(nl + 9) : msg)
              + "; expected a Maven pom.xml");
    }
    props.putIfAbsent("project.version", props.getOrDefault("project.parent.version", ""));
    props.putIfAbsent("project.groupId", props.getOrDefault("project.parent.groupId", ""));
    Map<String, String> managed = new HashMap<>();
    for (Dep d : deps) {
      if (d.managed) {
        String v = resolve(d.version, props);
        if (!v.isEmpty() && !v.contains("${")) {
          managed.put(resolve(d.groupId, props) + ":" + resolve(d.artifactId, props), v);
        }
      }
    }
    for (Dep d : deps) {
      if (d.managed) {
        continue;
      }
      String group = resolve(d.groupId, props);
      String artifact = resolve(d.artifactId, props);
      if (group.isEmpty()
          || artifact.isEmpty()
          || group.contains("${")
          || artifact.contains("${")) {
        c.error(
            d.line,
            "a dependency without a resolvable groupId and artifactId ('"
                + group
                + ":"
                + artifact
                + "'); expected both");
        continue;
      }
      String name = group + ":" + artifact;
      if (d.scope.equals("system")) {
        c.warn(d.line, name + " has scope 'system' (a local jar); not checked");
        continue;
      }
      String version =
          d.version.isEmpty() ? managed.getOrDefault(name, "") : resolve(d.version, props);
      if (version.isEmpty()) {
        c.warn(
            d.line,
            name
                + " has no version here (managed by a parent pom or an imported BOM); not checked —"
                + " scan the output of 'mvn help:effective-pom' or a gradle.lockfile instead");
        c.add(Ecosystem.MAVEN, name, "", c.at(d.line), "");
      } else if (version.contains("${")) {
        c.warn(
            d.line,
            name
                + " has version '"
                + version
                + "', which this pom does not define (a parent or a -D property?); not checked");
        c.add(Ecosystem.MAVEN, name, "", c.at(d.line), "");
      } else if (version.startsWith("[") || version.startsWith("(") || version.contains(",")) {
        c.warn(
            d.line,
            name
                + " has the version range '"
                + version
                + "'; Vigil checks exact versions only, not checked");
        c.add(Ecosystem.MAVEN, name, "", c.at(d.line), "");
      } else {
        c.add(Ecosystem.MAVEN, name, version, c.at(d.line), "");
      }
    }
    return "pom.xml";
  }

  static String resolve(String value, Map<String, String> props) {
    String v = value;
    for (int i = 0; i < MAX_PROPERTY_DEPTH && v.contains("${"); i++) {
      Matcher m = PROPERTY.matcher(v);
      StringBuilder b = new StringBuilder();
      boolean changed = false;
      while (m.find()) {
        String rep = props.get(m.group(1));
        if (rep != null && !rep.isEmpty()) {
          changed = true;
          m.appendReplacement(b, Matcher.quoteReplacement(rep));
        } else {
          m.appendReplacement(b, Matcher.quoteReplacement(m.group()));
        }
      }
      m.appendTail(b);
      v = b.toString();
      if (!changed) {
        break;
      }
    }
    return v;
  }
}
