package dev.surge.gateway.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.surge.gateway.EscalationClient;
import dev.surge.gateway.SimulatorControl;
import dev.surge.gateway.TestTokens;
import dev.surge.gateway.backoffice.BackOfficeClient;
import dev.surge.gateway.backoffice.OrderActions;
import dev.surge.gateway.backoffice.OrderSummary;
import dev.surge.gateway.backoffice.ReturnableLine;

/**
 * The agent console and the customer page in headless Chromium against the real gateway (embedded Redis, the
 * simulator): a customer's return fails and they talk to a person from that answer; an agent claims it in the
 * console, sees the failed step in the journey, chats, makes the return for the customer and resolves, while the
 * customer's page follows every step live. Markup in a message stays text; a dropped stream loses no message. Then
 * the other things an agent does from the console, each seen where it matters: a delivery address changed for the
 * customer (their page shows it), a transfer with a note (the next agent reads it and the conversation so far), a
 * decline (back in the queue, and the customer's page says so); and the supervisor view of the queues. One
 * application context for all of them: starting it is the cost. Skipped, with the reason, where Chromium is not
 * installed. Fresh customers keep it within the default rate limits.
 */
// A context of its own, closed after: the conversation's events went missing in a context other test classes had
// shared (see ConversationIntegrationTests).
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "surge.desk.test-context=own")
@org.springframework.test.annotation.DirtiesContext
@AutoConfigureWebTestClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeskBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger(93_000);

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient client;

    @Autowired
    BackOfficeClient backOffice;

    @Autowired
    ReactiveStringRedisTemplate redis;

    /**
     * Browsers by the name of their last screenshot, opened once for the class and reset between tests: starting
     * Chromium is most of what a scenario costs.
     */
    private static final Map<String, Browser> BROWSERS = new LinkedHashMap<>();
    private final Set<String> used = new LinkedHashSet<>();
    EscalationClient escalations;

    /**
     * Skipped per test, not per class: Surefire reports an assumption that fails in {@code @BeforeAll} as no test at
     * all, which would hide the reason.
     */
    @BeforeEach
    void emptyQueues() {
        Browser.assumeInstalled();
        escalations = new EscalationClient(client, redis);
        escalations.clear();
    }

    @AfterEach
    void reset() {
        SimulatorControl.heal(client);
        for (String name : used) {
            Browser browser = BROWSERS.get(name);
            // How each page looked when the test ended: what to look at first when it failed.
            browser.screenshot("last-" + name);
            try {
                browser.startOver(); // signed out, no stream left open
            } catch (RuntimeException e) {
                BROWSERS.remove(name).close(); // in a state we cannot reset: the next test gets a fresh one
            }
        }
        used.clear();
    }

    @AfterAll
    static void quit() {
        BROWSERS.values().forEach(Browser::close);
        BROWSERS.clear();
    }

    /** The headless browser of this name, signed out on a blank page. */
    private Browser browser(String name) {
        Browser browser = BROWSERS.computeIfAbsent(name, n -> Browser.open());
        used.add(name);
        return browser;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A fresh customer's order among their newest ten, with what it allows now. */
    private record Found(String customerId, String orderId, OrderActions actions) {
    }

    /** The first fresh customer with an order among their newest ten whose actions are {@code wanted}. */
    private Found customerWithOrder(Predicate<OrderActions> wanted) {
        for (int tries = 0; tries < 300; tries++) {
            String id = "c" + NEXT_CUSTOMER.incrementAndGet();
            for (OrderSummary order : backOffice.orders(id, null, 10).block(WAIT).orders()) {
                OrderActions actions = backOffice.orderActions(id, order.id()).block(WAIT);
                if (wanted.test(actions)) {
                    return new Found(id, order.id(), actions);
                }
            }
        }
        throw new AssertionError("no customer with such an order among 300");
    }

    /** A customer with an order among their newest ten that allows a return now, and its returnable line. */
    private String[] returnableOrder() {
        Found found = customerWithOrder(actions -> actions.returns().allowed()
                && actions.returns().lines().stream().anyMatch(l -> l.returnable() > 0));
        ReturnableLine line = found.actions().returns().lines().stream().filter(l -> l.returnable() > 0).findFirst()
                .orElseThrow();
        return new String[] {found.customerId(), found.orderId(), line.sku()};
    }

    private static List<String> texts(Browser browser, String css) {
        return browser.all(css).stream().map(WebElement::getText).toList();
    }

    @Test
    void aFailedReturnIsEscalatedFromItsAnswerAndTheAgentMakesItForTheCustomerWhileTheCustomerWatches() {
        Browser customer = browser("app");
        Browser agent = browser("console");
        String[] found = returnableOrder();
        String customerId = found[0];
        String orderId = found[1];
        String sku = found[2];

        // The customer's page: sign in, open the order, the return fails (the back office is down for writes).
        customer.get(url("/app/"));
        WebElement id = customer.find("#customer-id");
        id.clear();
        id.sendKeys(customerId, Keys.ENTER);
        customer.find("button[data-order='" + orderId + "']").click();
        WebElement returnButton = customer.find("#action-return");
        customer.screenshot("app-order");
        SimulatorControl.faults(client, "{\"writes\":{\"errorRate\":1.0}}");
        returnButton.click();
        customer.until(d -> !customer.find("#action-result").getText().isEmpty());
        assertThat(customer.find("#action-result").getAttribute("class")).isEqualTo("problem");
        WebElement talk = customer.find("#talk");
        assertThat(customer.find("#help-message").getAttribute("value")).contains(orderId);
        customer.screenshot("app-refused-talk-to-a-person");
        SimulatorControl.heal(client);
        talk.sendKeys(Keys.ENTER); // keyboard: the button has the focus
        customer.until(d -> customer.find("#place").getText().contains("number 1"));
        customer.screenshot("app-waiting");

        // The console: the queue shows it live; claim, the reservation counts down; accept.
        agent.get(url("/console/"));
        agent.find("#agent-id").clear();
        agent.find("#agent-id").sendKeys("a-browser");
        agent.find("#agent-name").clear();
        agent.find("#agent-name").sendKeys("Robin");
        WebElement skills = agent.find("#agent-skills");
        skills.clear();
        skills.sendKeys("returns", Keys.ENTER);
        agent.until(d -> texts(agent, "tr[data-skill='returns'] .depth").contains("1"));
        agent.screenshot("console-queues");
        agent.find("#claim").click();
        assertThat(agent.find("#countdown").getText()).matches("\\d+ s left to accept");
        // The failed step is marked in the journey, with what was tried.
        agent.screenshot("console-offered");
        agent.until(d -> texts(agent, "#journey li.failed").stream()
                .anyMatch(step -> step.contains("POST /api/v1/me/orders/{orderId}/returns → 502")));
        agent.screenshot("console-offered");
        agent.find("#accept").click();
        customer.until(d -> customer.find("#place").getText().contains("Robin is with you"));
        customer.until(d -> texts(customer, "#messages li.system").stream()
                .anyMatch(t -> t.startsWith("Robin joined the conversation")));

        // Chat both ways; markup stays text on both sides and nothing runs.
        String markup = "<script>window.hacked = true</script><b>not bold</b>";
        agent.find("#message-text").sendKeys(markup, Keys.ENTER);
        customer.until(d -> texts(customer, "#messages li.theirs").stream().anyMatch(t -> t.contains(markup)));
        assertThat(customer.script("return window.hacked === true || document.querySelector('#messages b, #messages script') !== null"))
                .isEqualTo(false);
        customer.find("#message-text").sendKeys("Thanks, the parcel is damaged.", Keys.ENTER);
        agent.until(d -> texts(agent, "#messages li.theirs").stream().anyMatch(t -> t.contains("parcel is damaged")));
        assertThat(agent.script("return document.querySelector('#messages b, #messages script') === null"))
                .isEqualTo(true);

        // The customer's connection drops; what the agent says meanwhile arrives once each, in order.
        customer.script("window.surgeApp.chat.stream.drop()");
        agent.find("#message-text").sendKeys("One moment, please.", Keys.ENTER);
        agent.find("#message-text").sendKeys("I am making the return for you.", Keys.ENTER);
        customer.until(d -> texts(customer, "#messages li.theirs").stream()
                .anyMatch(t -> t.contains("I am making the return for you.")));
        List<String> theirs = texts(customer, "#messages li.theirs");
        assertThat(theirs.stream().filter(t -> t.contains("One moment, please.")).count()).isEqualTo(1);
        assertThat(theirs.get(theirs.size() - 2)).contains("One moment, please.");
        customer.screenshot("app-conversation");

        // The agent makes the return for the customer, and resolves.
        new Select(agent.find("#act-sku")).selectByValue(sku);
        agent.find("#act-return").click();
        agent.until(d -> agent.find("#act-result").getText().startsWith("Return "));
        agent.until(d -> texts(agent, "#agent-actions li").stream().anyMatch(a -> a.startsWith("return by a-browser")));
        agent.screenshot("console-story-and-chat");
        WebElement disposition = agent.find("#disposition");
        disposition.clear();
        disposition.sendKeys("return-made", Keys.ENTER);
        agent.find("#work-done");
        customer.until(d -> customer.find("#place").getText().startsWith("Resolved"));
        customer.until(d -> texts(customer, "#messages li.system").stream()
                .anyMatch(t -> t.startsWith("Resolved")));
        customer.screenshot("app-resolved");
        // The customer's page: the return is listed for the order now.
        assertThat(client.get().uri("/api/v1/me/returns").headers(h -> h.setBearerAuth(
                        (String) customer.script("return sessionStorage.getItem('surge.customer.token')")))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().toString())
                .contains(orderId);
    }

    /** The customer's page, signed in and following their escalation, as after "talk to a person". */
    private Browser customerPage(String customerId, String escalationId) {
        Browser customer = browser("app");
        customer.get(url("/app/"));
        customer.script("sessionStorage.setItem('surge.customer.escalation', arguments[0])", escalationId);
        WebElement id = customer.find("#customer-id");
        id.clear();
        id.sendKeys(customerId, Keys.ENTER);
        customer.find("#place");
        return customer;
    }

    /** The console, signed in as the agent with the skills (comma-separated). */
    private Browser console(String name, String agentId, String agentName, String skills) {
        Browser agent = browser(name);
        agent.get(url("/console/"));
        for (String[] field : new String[][] {{"#agent-id", agentId}, {"#agent-name", agentName}}) {
            WebElement input = agent.find(field[0]);
            input.clear();
            input.sendKeys(field[1]);
        }
        WebElement input = agent.find("#agent-skills");
        input.clear();
        input.sendKeys(skills, Keys.ENTER);
        agent.find("#queues");
        return agent;
    }

    /** Claims from the console once the skill's queue shows one waiting; the offer is on screen after. */
    private static void claimOne(Browser agent, String skill) {
        agent.until(d -> texts(agent, "tr[data-skill='" + skill + "'] .depth").contains("1"));
        agent.find("#claim").click();
        agent.find("#countdown");
    }

    /** Accepts the offer on screen; the tools to act for the customer come up, or the test fails with the reason. */
    private static void accept(Browser agent) {
        agent.find("#accept").click();
        agent.until(d -> !agent.all("#act-result").isEmpty() || !agent.all("#work p.problem").isEmpty());
        assertThat(agent.all("#work p.problem")).as("the console's answer to accept").isEmpty();
    }

    /** A customer's waiting escalation ({@code body} as the app sends it): the customer's id, its id, their token. */
    private String[] escalated(String customerId, Map<String, Object> body) {
        String token = TestTokens.customer(client, customerId);
        return new String[] {customerId, escalations.create(token, body), token};
    }

    private static String text(Browser browser, String css) {
        List<String> found = texts(browser, css);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * The first test in this context, so the window's figures are this test's alone. Three customers escalate to
     * orders; an agent accepts one at once, another customer gives up, the third still waits. The supervisor sees
     * the queue and the agent now, and one answered (within the service level's threshold), one abandoned.
     */
    @Test
    @Order(1)
    void theSupervisorSeesTheQueueNowAndWhatWasAnsweredAndAbandoned() {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String[] made = escalated("c" + NEXT_CUSTOMER.incrementAndGet(), EscalationClient.web("delivery"));
            tokens.put(made[1], made[2]);
        }
        String agentToken = TestTokens.agent(client, "a-super", List.of("orders"));
        String answered = (String) escalations.claim(agentToken).get("id"); // the best by tier and age
        escalations.step(agentToken, answered, "accept", Map.of()).expectStatus().isOk();
        tokens.remove(answered);
        Map.Entry<String, String> abandoned = tokens.entrySet().iterator().next();
        client.delete().uri("/api/v1/escalations/{id}", abandoned.getKey())
                .headers(h -> h.setBearerAuth(abandoned.getValue())).exchange().expectStatus().isNoContent();

        // Signed in as a supervisor (an ops token, as the demo identity provider mints them).
        Browser supervisor = browser("supervisor");
        supervisor.get(url("/console/supervisor.html"));
        supervisor.script("sessionStorage.setItem('surge.ops.token', arguments[0])",
                TestTokens.signed(TestTokens.DEMO_SECRET, "s-browser", List.of("ops")));
        supervisor.get(url("/console/supervisor.html"));
        supervisor.until(d -> "1".equals(text(supervisor, "#now-queues tr[data-skill='orders'] .depth")));
        assertThat(supervisor.find("#agents-present").getText()).isEqualTo("1");
        String overall = "#queue-rows tr[data-skill='overall'] ";
        // The figures are gathered across instances in Redis: the page's next polls show them once they are in.
        supervisor.until(d -> "1".equals(text(supervisor, overall + ".answered"))
                && "1".equals(text(supervisor, overall + ".abandoned")));
        String orders = "#queue-rows tr[data-skill='orders'] ";
        assertThat(text(supervisor, orders + ".answered")).isEqualTo("1");
        assertThat(text(supervisor, orders + ".abandoned")).isEqualTo("1");
        assertThat(text(supervisor, overall + ".abandonment")).isEqualTo("50 %");
        // Answered at once, abandoned within the threshold (counted in neither): all of the service level.
        assertThat(text(supervisor, overall + ".service-level")).startsWith("100 %").contains("target 80 %");
        assertThat(supervisor.find(overall + ".service-level").getAttribute("class")).contains("at-target");
        assertThat(supervisor.find("main").getText()).doesNotContain("NaN").doesNotContain("undefined");
        supervisor.screenshot("supervisor");

        // Another window from the keyboard: the arrow moves the choice, the figures follow.
        supervisor.find("input[name='window'][value='15m']").sendKeys(Keys.ARROW_RIGHT);
        supervisor.until(d -> "1h".equals(supervisor.script("return window.surgeSupervisor.last?.window")));
        assertThat(text(supervisor, overall + ".answered")).isEqualTo("1");
    }

    @Test
    void anAgentChangesTheDeliveryAddressOfTheHeldCustomersOrderAndTheCustomerPageShowsIt() {
        Found found = customerWithOrder(actions -> actions.addressChange().allowed());
        String customerId = found.customerId();
        String orderId = found.orderId();
        Map<String, Object> body = EscalationClient.web("delivery");
        body.put("orderId", orderId);
        String id = escalated(customerId, body)[1];
        Browser customer = customerPage(customerId, id);
        customer.until(d -> customer.find("#place").getText().contains("number 1"));

        Browser agent = console("console", "a-address", "Kim", "orders");
        claimOne(agent, "orders");
        accept(agent);
        customer.until(d -> customer.find("#place").getText().contains("Kim is with you"));

        // The form is folded away until asked for; filled and sent from the keyboard.
        agent.find("#work details > summary").click();
        Map<String, String> address = new LinkedHashMap<>();
        address.put("name", "Alex Martin");
        address.put("street", "12 Rue Neuve");
        address.put("postalCode", "75001");
        address.put("city", "Paris");
        address.put("country", "FR");
        address.forEach((field, value) -> agent.find("#address-form input[name='" + field + "']").sendKeys(value));
        agent.find("#address-form input[name='country']").sendKeys(Keys.ENTER);
        agent.until(d -> "Done for the customer.".equals(agent.find("#act-result").getText()));
        agent.until(d -> texts(agent, "#agent-actions li").stream().anyMatch(a -> a.contains("by a-address")));
        agent.screenshot("console-address-changed");

        // The customer's page shows the order going to the new address.
        customer.find("button[data-order='" + orderId + "']").click();
        customer.until(d -> customer.find("#order-address").getText().contains("12 Rue Neuve"));
        assertThat(customer.find("#order-address").getText()).isEqualTo("Alex Martin, 12 Rue Neuve, 75001 Paris, FR");
        customer.screenshot("app-address-changed");
    }

    @Test
    void anAgentTransfersWithANoteAndTheNextAgentReadsItWithTheConversationSoFar() {
        String[] made = escalated("c" + NEXT_CUSTOMER.incrementAndGet(), EscalationClient.web("delivery"));
        Browser customer = customerPage(made[0], made[1]);
        Browser first = console("console", "a-first", "Robin", "orders");
        claimOne(first, "orders");
        accept(first);
        customer.until(d -> customer.find("#place").getText().contains("Robin is with you"));
        customer.find("#message-text").sendKeys("The parcel came damaged. I want to return it.", Keys.ENTER);
        first.until(d -> texts(first, "#messages li.theirs").stream().anyMatch(t -> t.contains("came damaged")));
        first.find("#message-text").sendKeys("I am passing you to our returns team.", Keys.ENTER);

        new Select(first.find("#transfer-skill")).selectByValue("returns");
        String note = "Damaged parcel, wants to return it; photos on the way";
        first.find("#transfer-note-input").sendKeys(note, Keys.ENTER);
        first.until(d -> "Transferred.".equals(first.find("#work-done").getText()));
        customer.until(d -> texts(customer, "#messages li.system").stream()
                .anyMatch(t -> t.startsWith("Transferred to another team")));
        customer.until(d -> customer.find("#place").getText().contains("number 1"));

        // The next agent, in returns: the note and everything said so far, before accepting.
        Browser next = console("console-next", "a-next", "Sam", "returns");
        claimOne(next, "returns");
        assertThat(next.find("#transfer-note").getText()).isEqualTo("Transfer note: " + note);
        next.until(d -> texts(next, "#messages li").stream().anyMatch(t -> t.contains("returns team")));
        List<String> conversation = texts(next, "#messages li");
        assertThat(conversation).anySatisfy(t -> assertThat(t).startsWith("Robin joined the conversation"));
        assertThat(conversation).anySatisfy(t -> assertThat(t).contains("came damaged"));
        assertThat(conversation).anySatisfy(t -> assertThat(t).startsWith("Robin: I am passing you"));
        assertThat(conversation).anySatisfy(t -> assertThat(t).startsWith("Transferred to another team"));
        next.screenshot("console-transferred-in");
        next.find("#accept").click();
        customer.until(d -> customer.find("#place").getText().contains("Sam is with you"));
        customer.screenshot("app-after-transfer");
    }

    @Test
    void anAgentDeclinesAndTheCustomerPageShowsThemWaitingInTheQueueAgain() {
        String[] made = escalated("c" + NEXT_CUSTOMER.incrementAndGet(), EscalationClient.web("billing"));
        Browser customer = customerPage(made[0], made[1]);
        customer.until(d -> customer.find("#place").getText().contains("number 1"));
        Browser agent = console("console", "a-decline", "Lee", "billing");
        claimOne(agent, "billing");
        customer.until(d -> "offered".equals(customer.find("#place").getAttribute("data-status")));
        agent.until(d -> texts(agent, "tr[data-skill='billing'] .depth").contains("0"));

        agent.find("#decline").click();
        agent.until(d -> agent.find("#work-done").getText().startsWith("Declined"));
        agent.until(d -> texts(agent, "tr[data-skill='billing'] .depth").contains("1"));
        customer.until(d -> "queued".equals(customer.find("#place").getAttribute("data-status")));
        assertThat(customer.find("#place").getText()).startsWith("You are number 1 in the queue");
        customer.screenshot("app-waiting-again");
        // Back in its place: the next claim offers the same escalation.
        agent.find("#claim").click();
        customer.until(d -> "offered".equals(customer.find("#place").getAttribute("data-status")));
    }
}
