// Spring (Spring MVC 5.3+/6 with Spring Security 5.7+/6). DOCUMENTATION-CHECKED: Spring cannot run on
// this machine, so this recipe is checked against the official documentation, not proven on a server:
// - https://docs.spring.io/spring-security/reference/servlet/integrations/cors.html ("CORS must be
//   processed before Spring Security, because the pre-flight request does not contain any cookies";
//   Security picks up a UrlBasedCorsConfigurationSource bean through http.cors(withDefaults())).
// - https://docs.spring.io/spring-framework/reference/web/webmvc-cors.html (allowCredentials forbids "*"
//   in allowedOrigins; CorsConfiguration setters).
import { commentText, javaString } from "./literals";
import type { CorsPolicy } from "./policy";
import type { StackRecipe } from "./stack";

export const spring: StackRecipe = {
  stack: "spring",
  label: "Spring (CorsConfigurationSource)",
  render(p: CorsPolicy) {
    const strings = (values: string[]) => values.map(javaString).join(", ");
    return `// CORS for ${commentText(p.url || "this API")} (Spring Framework 6 / Spring Security 6)
// Documentation-checked: https://docs.spring.io/spring-security/reference/servlet/integrations/cors.html
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

@Configuration
public class CorsConfig {

    @Bean
    UrlBasedCorsConfigurationSource corsConfigurationSource() {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(List.of(${strings(p.origins)})); // exact origins, not allowedOriginPatterns("*")
        config.setAllowedMethods(List.of(${strings(p.methods)}));
        config.setAllowedHeaders(List.of(${strings(p.headers)}));
        config.setAllowCredentials(${p.credentials});
        config.setMaxAge(${p.maxAge}L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }

    // cors() puts Spring's CorsFilter before authentication: preflights are answered without credentials.
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.cors(Customizer.withDefaults());
        // ... your existing authorizeHttpRequests / login configuration ...
        return http.build();
    }
}
`;
  },
  notes: {
    "preflight-auth":
      "Without http.cors(...), Spring Security rejects the cookie-less preflight before Spring MVC's CORS handling sees it.",
    "allow-origin": 'Do not use setAllowedOriginPatterns(List.of("*")) with credentials: it reflects every Origin.',
  },
};
