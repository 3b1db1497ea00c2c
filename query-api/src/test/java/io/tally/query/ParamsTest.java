package io.tally.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParamsTest {

    @Test
    void decodesPlusAndPercentEscapes() {
        Params p = new Params().addEncoded("target=a.b%2Cc&from=noon+yesterday&x=%E2%82%AC");
        assertThat(p.get("target")).isEqualTo("a.b,c");
        assertThat(p.get("from")).isEqualTo("noon yesterday");
        assertThat(p.get("x")).isEqualTo("€");
    }

    @Test
    void keepsMalformedEscapesLiterally() {
        Params p = new Params().addEncoded("query=servers.100%.cpu%zz%4");
        assertThat(p.get("query")).isEqualTo("servers.100%.cpu%zz%4");
    }

    @Test
    void repeatedKeysAndBracketAliasesAreLists() {
        Params p = new Params().addEncoded("target=a&target[]=c&target=b");
        assertThat(p.all("target")).containsExactly("a", "b", "c");
    }

    @Test
    void laterValuesWinForSingleValuedParameters() {
        Params p = new Params().addEncoded("format=treejson").addEncoded("format=json");
        assertThat(p.get("format")).isEqualTo("json");
    }

    @Test
    void keysWithoutValuesAndEmptyPairs() {
        Params p = new Params().addEncoded("noNullPoints&&a=&=x");
        assertThat(p.has("noNullPoints")).isTrue();
        assertThat(p.get("noNullPoints")).isEmpty();
        assertThat(p.get("a")).isEmpty();
        assertThat(p.get("")).isEqualTo("x");
        assertThat(p.has("b")).isFalse();
    }

    @Test
    void flagsAcceptGraphiteSpellings() {
        Params p = new Params().addEncoded("a=1&b=true&c=0&d=no");
        assertThat(p.flag("a")).isTrue();
        assertThat(p.flag("b")).isTrue();
        assertThat(p.flag("c")).isFalse();
        assertThat(p.flag("d")).isFalse();
        assertThat(p.flag("missing")).isFalse();
    }
}
