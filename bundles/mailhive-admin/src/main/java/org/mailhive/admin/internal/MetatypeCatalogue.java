package org.mailhive.admin.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The defaults of every configuration, read from the bnd-generated {@code OSGI-INF/metatype/*.xml}
 * of the bundles. The runtime has no MetaType service, and the CLI runs without a framework, so
 * the XML is parsed here with the JDK's parser; both callers feed it documents.
 */
public final class MetatypeCatalogue {

    static final String METATYPE_DIR = "OSGI-INF/metatype/";

    private final Map<String, PidInfo> pids = new TreeMap<>();

    /** The catalogue of the bundle jars in a directory ({@code MAILHIVE_HOME/bundle}). */
    public static MetatypeCatalogue fromJars(Path dir) throws IOException {
        MetatypeCatalogue c = new MetatypeCatalogue();
        if (!Files.isDirectory(dir)) return c;
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            ds.forEach(jars::add);
        }
        Collections.sort(jars);
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> en = jf.entries();
                while (en.hasMoreElements()) {
                    JarEntry e = en.nextElement();
                    String n = e.getName();
                    if (n.startsWith(METATYPE_DIR) && n.endsWith(".xml") && n.indexOf('/', METATYPE_DIR.length()) < 0) {
                        try (InputStream in = jf.getInputStream(e)) {
                            c.add(in, jar.getFileName() + "!/" + n);
                        }
                    }
                }
            }
        }
        return c;
    }

    /** Adds the designates of one metatype document; a document that does not parse is skipped with a reason. */
    public void add(InputStream xml, String origin) throws IOException {
        Document doc;
        try {
            doc = builder().parse(xml);
        } catch (SAXException | ParserConfigurationException e) {
            throw new IOException(origin + ": not a metatype document: " + e.getMessage(), e);
        }
        Map<String, List<Param>> ocds = new HashMap<>();
        for (Element ocd : children(doc.getDocumentElement(), "OCD")) {
            List<Param> params = new ArrayList<>();
            for (Element ad : children(ocd, "AD")) {
                params.add(new Param(ad.getAttribute("id"), ad.getAttribute("type"),
                        cardinality(ad.getAttribute("cardinality")), unescape(ad.getAttribute("default")),
                        ad.getAttribute("description")));
            }
            ocds.put(ocd.getAttribute("id"), params);
        }
        for (Element des : children(doc.getDocumentElement(), "Designate")) {
            String factoryPid = des.getAttribute("factoryPid");
            boolean factory = !factoryPid.isEmpty();
            String pid = factory ? factoryPid : des.getAttribute("pid");
            if (pid.isEmpty()) continue;
            PidInfo info = pids.computeIfAbsent(pid, p -> new PidInfo(p, factory));
            for (Element obj : children(des, "Object")) {
                for (Param p : ocds.getOrDefault(obj.getAttribute("ocdref"), List.of())) info.add(p);
            }
        }
    }

    public PidInfo get(String pid) {
        return pids.get(pid);
    }

    /** Every PID, sorted by name. */
    public List<PidInfo> all() {
        return List.copyOf(pids.values());
    }

    /**
     * Metatype defaults escape commas and spaces with a backslash (a comma separates the values
     * of a multi-valued default); for a single string the backslashes only get in the way.
     */
    static String unescape(String v) {
        if (v == null || v.indexOf('\\') < 0) return v == null ? "" : v;
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) c = v.charAt(++i);
            b.append(c);
        }
        return b.toString();
    }

    private static int cardinality(String v) {
        if (v == null || v.isEmpty()) return 0;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static DocumentBuilder builder() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // a metatype file comes from a bundle jar, but no document needs external entities
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder();
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e) {
                String ln = e.getLocalName() != null ? e.getLocalName() : e.getNodeName();
                if (ln.equals(localName)) out.add(e);
            }
        }
        return out;
    }
}
