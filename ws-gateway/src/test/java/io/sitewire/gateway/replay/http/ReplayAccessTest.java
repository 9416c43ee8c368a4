package io.sitewire.gateway.replay.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sitewire.gateway.auth.Principal;
import io.sitewire.gateway.auth.Role;
import io.sitewire.schemas.replay.RangeQuery;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayAccessTest {

    private static Principal principal(final Set<Role> roles, final String... projects) {
        return new Principal("u1", Set.of(projects), roles, Set.of(), "u1", Instant.parse("2030-01-01T00:00:00Z"));
    }

    private static RangeQuery query(final String... projects) {
        return RangeQuery.builder().topics("alerts").projects(List.of(projects)).build();
    }

    @Test
    void managersAndSafetyOfficersMayReplayTheirOwnProjects() {
        assertThat(ReplayAccess.whyNot(principal(Set.of(Role.MANAGER), "p1", "p2"), query("p1", "p2"))).isEmpty();
        assertThat(ReplayAccess.whyNot(principal(Set.of(Role.SAFETY_OFFICER), "p1"), query("p1"))).isEmpty();
        assertThat(ReplayAccess.whyNot(principal(Set.of(Role.WORKER, Role.MANAGER), "p1"), query("p1"))).isEmpty();
    }

    @Test
    void otherRolesMayNot() {
        for (final Role role : List.of(Role.WORKER, Role.SUPERVISOR, Role.DEVICE)) {
            assertThat(ReplayAccess.whyNot(principal(Set.of(role), "p1"), query("p1"))).as(role.name())
                    .hasValue("replaying history needs the role manager or safety_officer");
        }
    }

    @Test
    void aProjectOutsideTheTokenIsNamed() {
        assertThat(ReplayAccess.whyNot(principal(Set.of(Role.MANAGER), "p1"), query("p1", "p9", "p3")))
                .hasValue("not a member of project p3, p9");
    }

    @Test
    void aQueryWithoutAProjectIsRefusedNotWidened() {
        assertThat(ReplayAccess.whyNot(principal(Set.of(Role.MANAGER), "p1"), query())).get().asString()
                .startsWith("name the project(s) to replay with project=");
    }
}
