package dev.surge.gateway.pages;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}), one per page under test, with a
 * fresh profile; a screenshot of each screen a test checks goes to {@code target/screenshots/}. Where either program
 * is missing the test is skipped with the reason (an assumption), never passed.
 */
final class Browser implements AutoCloseable {

    private static final List<String> CHROMIUM = List.of("/usr/lib/chromium/chromium", "/usr/bin/chromium");
    private static final List<String> DRIVER = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A new headless browser, or the test is skipped when chromium or chromedriver is not installed. */
    static Browser open() {
        assumeInstalled();
        String chromium = executable("SURGE_CHROMIUM", CHROMIUM);
        String driver = executable("SURGE_CHROMEDRIVER", DRIVER);
        try {
            Path profile = Files.createTempDirectory("surge-chromium-");
            ChromeOptions options = new ChromeOptions().setBinary(java.util.Objects.requireNonNull(chromium));
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(java.util.Objects.requireNonNull(driver))).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Skips the calling test with the reason when chromium or chromedriver is not installed.
     */
    static void assumeInstalled() {
        String chromium = executable("SURGE_CHROMIUM", CHROMIUM);
        String driver = executable("SURGE_CHROMEDRIVER", DRIVER);
        Assumptions.assumeTrue(chromium != null && driver != null,
                "browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver;"
                        + " .ci/run installs them): chromium " + (chromium == null ? "missing" : "found")
                        + ", chromedriver " + (driver == null ? "missing" : "found"));
    }

    /** The program named by the environment variable if set (to try another build, or none), else Debian's. */
    private static String executable(String variable, List<String> candidates) {
        String named = System.getenv(variable);
        return (named != null ? List.of(named) : candidates).stream().filter(p -> new File(p).canExecute())
                .findFirst().orElse(null);
    }

    WebDriver driver() {
        return driver;
    }

    void get(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Polls the page until the condition holds (non-null, non-false), at most 15 s. */
    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).until(condition);
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Starts over in a new tab and closes the old one, for the next test: closing the tab ends its page with every
     * stream it held open (leaving by navigation may keep the page, streams and all, in the back/forward cache, and
     * six open streams to one host make the browser hold every further request back), and the new tab's
     * sessionStorage, where the pages keep their sign-in, is empty.
     */
    void startOver() {
        String old = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        String fresh = driver.getWindowHandle();
        driver.switchTo().window(old).close();
        driver.switchTo().window(fresh);
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temporary profile left behind costs nothing but disk
        }
    }
}
