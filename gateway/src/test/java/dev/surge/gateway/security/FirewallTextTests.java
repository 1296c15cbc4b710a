package dev.surge.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

/**
 * The firewall's header rules, written as loops, answer exactly as Spring Security's own predicates: for every code
 * point alone, for unpaired surrogates, and for random mixed strings.
 */
class FirewallTextTests {

    private static final Predicate<String> NAMES = StrictServerWebExchangeFirewall.ALLOWED_HEADER_NAMES;
    private static final Predicate<String> VALUES = StrictServerWebExchangeFirewall.ALLOWED_HEADER_VALUES;

    @Test
    void everyCodePointIsJudgedAsTheFirewallJudgesIt() {
        int differences = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            if (FirewallText.allowedName(text) != NAMES.test(text)
                    || FirewallText.allowedValue(text) != VALUES.test(text)) {
                differences++;
            }
        }
        assertThat(differences).isZero();
    }

    @Test
    void theRulesRejectWhatTheyShouldAndAllowTheRest() {
        assertThat(FirewallText.allowedName("Authorization")).isTrue();
        assertThat(FirewallText.allowedValue("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")).isTrue();
        assertThat(FirewallText.allowedValue("Grüße, 東京 🙂")).isTrue();
        assertThat(FirewallText.allowedValue("a\tb")).isTrue();
        assertThat(FirewallText.allowedName("a\tb")).isFalse();
        assertThat(FirewallText.allowedValue("a\u0000b")).isFalse();
        assertThat(FirewallText.allowedValue("a\rb")).isFalse();
        assertThat(FirewallText.allowedValue("a\u0085b")).isFalse(); // a C1 control character
        assertThat(FirewallText.allowedValue("a\u0378b")).isFalse(); // unassigned
        assertThat(FirewallText.allowedValue(null)).isTrue();
    }

    @Test
    void randomStringsAndLoneSurrogatesAgreeWithTheFirewall() {
        SplittableRandom random = new SplittableRandom(42);
        String[] pieces = {"a", "Z", " ", "\t", "\r", "\u0000", "\u007f", "\u0085", "\u00e9", "\u0378", "\ud800",
                "\udc00", "\ud83d\ude42", "\udb40\udc01", "\uffff", "|", ";"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(6);
            for (int j = 0; j < length; j++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String s = text.toString();
            assertThat(FirewallText.allowedName(s)).as("name %s", s.codePoints().boxed().toList())
                    .isEqualTo(NAMES.test(s));
            assertThat(FirewallText.allowedValue(s)).as("value %s", s.codePoints().boxed().toList())
                    .isEqualTo(VALUES.test(s));
        }
    }
}
