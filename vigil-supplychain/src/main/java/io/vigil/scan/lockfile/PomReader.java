package io.vigil.scan.lockfile;

import io.vigil.scan.Ecosystem;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a Maven {@code pom.xml} without the network: the dependencies of the project and its
 * profiles, versions taken from {@code dependencyManagement} when missing, and {@code ${…}}
 * resolved from {@code properties}, {@code project.version} and the parent's version. A parent pom
 * found on disk ({@code relativePath}, default {@code ../pom.xml}, with matching coordinates, up to
 * {@value #MAX_PARENTS} levels) contributes its properties and dependency management. Versions that
 * stay unresolved (an imported BOM, a parent in a repository) or are ranges are reported as not
 * checkable. DTDs and external entities are refused.
 */
final class PomReader {
  private PomReader() {}

  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]{1,200})\\}");
  private static final int MAX_PROPERTY_DEPTH = 10;

  /** Most parent poms followed on disk. */
  static final int MAX_PARENTS = 5;

  private static final class Dep {
    int line;
    boolean managed;
    String groupId = "";
    String artifactId = "";
    String version = "";
    String scope = "";
  }

  /** What one pom says, before inheritance. */
  private static final class Pom {
    final Map<String, String> props = new HashMap<>();
    final List<Dep> deps = new ArrayList<>();
    String groupId = "";
    String artifactId = "";
    String version = "";
    String parentGroupId = "";
    String parentArtifactId = "";
    String parentVersion = "";
    String relativePath;
    boolean hasParent;
  }

  static String read(Path file, String content, Collector c) {
    Pom pom = parse(content, c.limits.maxNestingDepth(), (line, msg) -> c.error(line, msg));
    // inheritance from parents on disk, nearest first
    List<Pom> chain = new ArrayList<>();
    chain.add(pom);
    Set<Path> seen = new HashSet<>();
    Path here = file.toAbsolutePath().normalize();
    seen.add(here);
    Pom child = pom;
    while (child.hasParent && chain.size() <= MAX_PARENTS) {
      String rel = child.relativePath == null ? "../pom.xml" : child.relativePath;
      if (rel.isBlank()) {
        break;
      }
      Path parentFile = here.getParent() == null ? null : here.getParent().resolve(rel).normalize();
      if (parentFile != null && Files.isDirectory(parentFile)) {
        parentFile = parentFile.resolve("pom.xml");
      }
      if (parentFile == null || !Files.isRegularFile(parentFile) || !seen.add(parentFile)) {
        break;
      }
      Pom parent;
      try {
        if (Files.size(parentFile) > c.limits.maxFileBytes()) {
          break;
        }
        String text = Files.readString(parentFile, StandardCharsets.UTF_8);
        Path shown = parentFile;
        parent =
            parse(
                text,
                c.limits.maxNestingDepth(),
                (line, msg) -> c.warn(shown.toString(), line, "parent pom: " + msg));
      } catch (IOException e) {
        c.warn(0, "the parent pom " + parentFile + " could not be read: " + e.getMessage());
        break;
      }
      String pg = parent.groupId.isEmpty() ? parent.parentGroupId : parent.groupId;
      if (!parent.artifactId.equals(child.parentArtifactId) || !pg.equals(child.parentGroupId)) {
        break; // a different project's pom sits there; the real parent is in a repository
      }
      chain.add(parent);
      child = parent;
      here = parentFile;
    }
    // effective properties: farthest parent first, nearer poms override
    Map<String, String> props = new HashMap<>();
    for (int i = chain.size() - 1; i >= 0; i--) {
      props.putAll(chain.get(i).props);
    }
    String version = pom.version.isEmpty() ? pom.parentVersion : pom.version;
    String groupId = pom.groupId.isEmpty() ? pom.parentGroupId : pom.groupId;
    props.put("project.version", version);
    props.put("version", version);
    props.put("pom.version", version);
    props.put("project.groupId", groupId);
    props.put("project.artifactId", pom.artifactId);
    props.put("project.parent.version", pom.parentVersion);
    props.put("parent.version", pom.parentVersion);
    props.put("project.parent.groupId", pom.parentGroupId);
    Map<String, String> managed = new HashMap<>();
    for (int i = chain.size() - 1; i >= 0; i--) {
      for (Dep d : chain.get(i).deps) {
        if (d.managed) {
          String v = resolve(d.version, props);
          if (!v.isEmpty() && !v.contains("${")) {
            managed.put(resolve(d.groupId, props) + ":" + resolve(d.artifactId, props), v);
          }
        }
      }
    }
    for (Dep d : pom.deps) {
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
      String v = d.version.isEmpty() ? managed.getOrDefault(name, "") : resolve(d.version, props);
      if (v.isEmpty()) {
        c.warn(
            d.line,
            name
                + " has no version here (managed by a parent pom or an imported BOM); not checked —"
                + " scan the output of 'mvn help:effective-pom' or a gradle.lockfile instead");
        c.add(Ecosystem.MAVEN, name, "", c.at(d.line), "");
      } else if (v.contains("${")) {
        c.warn(
            d.line,
            name
                + " has version '"
                + v
                + "', which this pom does not define (a parent or a -D property?); not checked");
        c.add(Ecosystem.MAVEN, name, "", c.at(d.line), "");
      } else if (v.startsWith("[") || v.startsWith("(") || v.contains(",")) {
        c.warn(
            d.line,
            name
                + " has the version range '"
                + v
                + "'; Vigil checks exact versions only, not checked");
        c.add(Ecosystem.MAVEN, name, "", c.at(d.line), "");
      } else {
        c.add(Ecosystem.MAVEN, name, v, c.at(d.line), "");
      }
    }
    return "pom.xml";
  }

  interface Errors {
    void report(int line, String message);
  }

  private static Pom parse(String content, int maxDepth, Errors errors) {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    Pom pom = new Pom();
    List<String> path = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    Dep cur = null;
    try {
      XMLStreamReader r = f.createXMLStreamReader(new StringReader(content));
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          path.add(r.getLocalName());
          if (path.size() > maxDepth) {
            errors.report(
                r.getLocation().getLineNumber(),
                "XML nested deeper than maxNestingDepth (" + maxDepth + ")");
            break;
          }
          text.setLength(0);
          String p = String.join("/", path);
          if (p.equals("project/parent")) {
            pom.hasParent = true;
          }
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
            pom.deps.add(cur);
            cur = null;
          } else if (path.size() == 3 && path.get(1).equals("properties")) {
            pom.props.put(r.getLocalName(), value);
          } else {
            switch (p) {
              case "project/version" -> pom.version = value;
              case "project/groupId" -> pom.groupId = value;
              case "project/artifactId" -> pom.artifactId = value;
              case "project/parent/version" -> pom.parentVersion = value;
              case "project/parent/groupId" -> pom.parentGroupId = value;
              case "project/parent/artifactId" -> pom.parentArtifactId = value;
              case "project/parent/relativePath" -> pom.relativePath = value;
              default -> {}
            }
          }
          path.remove(path.size() - 1);
          text.setLength(0);
        }
      }
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNumber();
      String msg = e.getMessage();
      int nl = msg.indexOf("Message: ");
      errors.report(
          line,
          "not well-formed XML: "
              + (nl >= 0 ? msg.substring(nl + 9) : msg)
              + "; expected a Maven pom.xml");
    }
    return pom;
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
