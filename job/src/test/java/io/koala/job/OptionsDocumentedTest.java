package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/streaming.md's table of keys says what the options say: same keys, same defaults. */
class OptionsDocumentedTest {

  private static final Pattern ROW =
      Pattern.compile("^\\| `(koala\\.[a-z0-9.\\-]+)` \\| ([^|]*) \\| ([^|]*) \\|");

  private static Map<String, String> documentedDefaults() throws Exception {
    Path docs =
        Path.of(
            System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "streaming.md");
    if (!Files.exists(docs)) {
      docs = Path.of("..", "docs", "streaming.md");
    }
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(docs)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.put(m.group(1), m.group(3).trim());
      }
    }
    return rows;
  }

  @Test
  void everyOptionIsDocumented_andEveryDocumentedKeyIsAnOption() throws Exception {
    Map<String, String> documented = documentedDefaults();
    for (OptionCatalog.Entry entry : OptionCatalog.entries()) {
      assertThat(documented).as("docs/streaming.md documents").containsKey(entry.option().key());
    }
    for (String key : documented.keySet()) {
      assertThat(OptionCatalog.find(key)).as("%s is an option", key).isPresent();
    }
  }

  @Test
  void documentedDefaults_areTheOptions() throws Exception {
    Map<String, String> documented = documentedDefaults();
    for (OptionCatalog.Entry entry : OptionCatalog.entries()) {
      String cell = documented.get(entry.option().key());
      if (entry.description().endsWith(KoalaOptions.FROM_PRESET)) {
        assertThat(cell).as(entry.option().key()).isEqualTo("preset");
      } else if (entry.option().hasDefaultValue() && !entry.defaultText().equals("(empty)")) {
        assertThat(cell.replace("`", "")).as(entry.option().key()).startsWith(entry.defaultText());
      }
    }
  }
}
