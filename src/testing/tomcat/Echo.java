// A servlet of the differential test (src/gateway/tomcat.differential.test.ts): it reports, as JSON,
// what Tomcat made of a request. Paths below /rest/ answer with the report; /__seen lists the
// X-Test-Id of every request that reached it (so a test can prove a refused request never did).
import jakarta.servlet.annotation.MultipartConfig;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

@MultipartConfig
public class Echo extends HttpServlet {
  private static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());

  private static String json(String s) {
    if (s == null) return "null";
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if ("/__seen".equals(req.getServletPath())) {
      StringBuilder out = new StringBuilder("[");
      synchronized (SEEN) {
        for (int i = 0; i < SEEN.size(); i++) out.append(i == 0 ? "" : ",").append(json(SEEN.get(i)));
      }
      res.setContentType("application/json");
      res.getWriter().write(out.append("]").toString());
      return;
    }
    SEEN.add(String.valueOf(req.getHeader("X-Test-Id")));
    String type = req.getContentType() == null ? "" : req.getContentType();
    boolean form = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/");
    String raw = null;
    if (!form) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      InputStream in = req.getInputStream();
      in.transferTo(bytes);
      raw = Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
    StringBuilder out = new StringBuilder("{\"echo\":true");
    out.append(",\"method\":").append(json(req.getMethod()));
    out.append(",\"requestURI\":").append(json(req.getRequestURI()));
    out.append(",\"queryString\":").append(json(req.getQueryString()));
    out.append(",\"servletPath\":").append(json(req.getServletPath()));
    out.append(",\"pathInfo\":").append(json(req.getPathInfo()));
    out.append(",\"identity\":[");
    Enumeration<String> ids = req.getHeaders("X-Forwarded-User");
    boolean first = true;
    while (ids.hasMoreElements()) {
      out.append(first ? "" : ",").append(json(ids.nextElement()));
      first = false;
    }
    out.append("],\"headerNames\":[");
    Enumeration<String> names = req.getHeaderNames();
    first = true;
    while (names.hasMoreElements()) {
      out.append(first ? "" : ",").append(json(names.nextElement()));
      first = false;
    }
    out.append("],\"params\":{");
    first = true;
    try {
      for (Map.Entry<String, String[]> e : req.getParameterMap().entrySet()) {
        out.append(first ? "" : ",").append(json(e.getKey())).append(":[");
        String[] values = e.getValue();
        for (int i = 0; i < values.length; i++) out.append(i == 0 ? "" : ",").append(json(values[i]));
        out.append("]");
        first = false;
      }
      out.append("}");
    } catch (RuntimeException err) {
      out.append("},\"paramError\":").append(json(err.toString()));
    }
    out.append(",\"rawBody\":").append(json(raw));
    out.append("}");
    res.setContentType("application/json");
    res.setCharacterEncoding("UTF-8");
    res.getWriter().write(out.toString());
  }
}
