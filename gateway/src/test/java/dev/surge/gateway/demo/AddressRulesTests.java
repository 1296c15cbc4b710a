package dev.surge.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.surge.gateway.backoffice.FieldError;
import tools.jackson.databind.json.JsonMapper;

/** Postal codes are checked against the country's own format, and only countries the shop ships to are accepted. */
class AddressRulesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<FieldError> check(String country, String postalCode) {
        List<FieldError> errors = new ArrayList<>();
        AddressRules.parse(JSON.readTree("{\"name\":\"Kim Lee\",\"street\":\"Main 1\",\"city\":\"Town\","
                + "\"country\":\"" + country + "\",\"postalCode\":\"" + postalCode + "\"}"), errors);
        return errors;
    }

    @ParameterizedTest
    @CsvSource({"DE,10115", "NL,1017 CT", "NL,1017CT", "PL,00-372", "SE,111 52", "AT,1010", "ES,28013", "IE,D02 X285",
        "PT,1000-001", "LU,L-1009"})
    void validCodesOfSupportedCountriesPass(String country, String postalCode) {
        assertThat(check(country, postalCode)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"DE,1011,postalCode", "NL,1017,postalCode", "PL,00372,postalCode", "ES,53001,postalCode",
        "US,10115,country", "XX,10115,country", "de,10115,country"})
    void aCodeOutOfItsCountrysFormatOrAnUnsupportedCountryIsNamed(String country, String postalCode, String field) {
        assertThat(check(country, postalCode)).extracting(FieldError::field).containsExactly(field);
    }
}
