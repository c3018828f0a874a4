package io.koala.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of the design, checked on the compiled main classes of every module: packages form
 * no cycle, dependencies point one way (job → connectors → koala-state), and the math knows nothing
 * of Flink.
 */
class ArchitectureTest {

  /**
   * The math module's packages (koala-state). The test-data module holds io.koala.data and
   * io.koala.evaluation; connectors io.koala.connectors; the job io.koala.job.
   */
  private static final String[] MATH = {
    "io.koala.optimizer..",
    "io.koala.model..",
    "io.koala.noise..",
    "io.koala.state..",
    "io.koala.training.."
  };

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // other modules' tests
            .importPackages("io.koala");
  }

  @Test
  void packages_formNoCycle() {
    slices().matching("io.koala.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void mathModule_dependsOnNoOtherModule() {
    noClasses()
        .that()
        .resideInAnyPackage(MATH)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.koala.connectors..", "io.koala.job..", "io.koala.data..", "io.koala.evaluation..")
        .check(main);
  }

  @Test
  void connectors_dependOnNeitherTheJobNorTheEvaluation() {
    noClasses()
        .that()
        .resideInAPackage("io.koala.connectors..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.koala.job..", "io.koala.data..", "io.koala.evaluation..")
        .check(main);
  }

  @Test
  void optimizerModelAndNoise_importNoFlinkType() {
    noClasses()
        .that()
        .resideInAnyPackage("io.koala.optimizer..", "io.koala.model..", "io.koala.noise..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.flink..")
        .check(main);
  }

  @Test
  void state_usesFlinkTypeSerializersButNoRuntime() {
    noClasses()
        .that()
        .resideInAnyPackage("io.koala.state..", "io.koala.training..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink.runtime..", "org.apache.flink.streaming..")
        .check(main);
  }

  @Test
  void nothingButTheJob_knowsTheJobsOptions() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.koala.job..")
        .and()
        .resideOutsideOfPackage("io.koala.benchmarks..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.koala.job.KoalaOptions")
        .check(main);
  }

  @Test
  void nothingBelowTheJob_namesAJobKey() throws Exception {
    // "koala.<key>" inside a string literal, not the io.koala package name.
    Pattern jobKey = Pattern.compile("\"[^\"]*(?<!io\\.)koala\\.[a-z]");
    List<String> found = new ArrayList<>();
    for (String module : new String[] {"koala-state", "connectors", "test-data"}) {
      Path sources = Path.of("..", module, "src", "main", "java");
      try (var files = Files.walk(sources)) {
        for (Path file :
            (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
          var lines = Files.readAllLines(file);
          for (int i = 0; i < lines.size(); i++) {
            if (jobKey.matcher(lines.get(i)).find()) {
              found.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
          }
        }
      }
    }
    assertThat(found).as("koala.* keys named below the job").isEmpty();
  }
}
