package dev.tern.deploy;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks of Kubernetes' Pod Security Standards, profile {@code restricted} (baseline
 * included), as the Pod Security Admission controller applies them to a pod spec: what a
 * namespace labelled {@code pod-security.kubernetes.io/enforce: restricted} would refuse.
 * Returns each violation as text naming the field, so a failing test says what to fix.
 */
final class PodSecurityRestricted {

    /** Volume types restricted allows (hostPath and the other node-bound types are refused). */
    private static final Set<String> ALLOWED_VOLUMES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    /** Capabilities baseline lets a container add; restricted allows only NET_BIND_SERVICE. */
    private static final Set<String> ADDABLE = Set.of("NET_BIND_SERVICE");

    private PodSecurityRestricted() {
    }

    static List<String> violations(PodSpec pod) {
        List<String> out = new ArrayList<>();
        PodSecurityContext podContext = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            out.add("host namespaces: hostNetwork, hostPID and hostIPC must be unset or false");
        }
        for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            String type = volumeType(v);
            if (!ALLOWED_VOLUMES.contains(type)) {
                out.add("volume " + v.getName() + ": type " + type + " is not allowed");
            }
        }
        if (podContext.getSysctls() != null && !podContext.getSysctls().isEmpty()) {
            out.add("pod securityContext.sysctls must be empty");
        }
        if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
            out.add("pod securityContext.runAsUser must not be 0");
        }
        badSeccomp(podContext.getSeccompProfile()).ifPresent(m -> out.add("pod securityContext.seccompProfile " + m));
        for (Container c : containers(pod)) {
            String where = "container " + c.getName() + " ";
            SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                out.add(where + "securityContext.privileged must not be true");
            }
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                out.add(where + "securityContext.allowPrivilegeEscalation must be false");
            }
            if (!Boolean.TRUE.equals(sc.getRunAsNonRoot()) && !Boolean.TRUE.equals(podContext.getRunAsNonRoot())) {
                out.add(where + "runAsNonRoot must be true (container or pod)");
            }
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                out.add(where + "securityContext.runAsUser must not be 0");
            }
            SeccompProfile seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : podContext.getSeccompProfile();
            if (seccomp == null) {
                out.add(where + "seccompProfile must be RuntimeDefault or Localhost (container or pod)");
            }
            badSeccomp(sc.getSeccompProfile()).ifPresent(m -> out.add(where + "securityContext.seccompProfile " + m));
            Capabilities caps = sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                out.add(where + "securityContext.capabilities.drop must contain ALL");
            }
            if (caps != null && caps.getAdd() != null) {
                caps.getAdd().stream().filter(a -> !ADDABLE.contains(a))
                        .forEach(a -> out.add(where + "capability " + a + " must not be added"));
            }
            if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
                out.add(where + "hostPort must not be set");
            }
            if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
                out.add(where + "procMount must be Default");
            }
        }
        return out;
    }

    private static Optional<String> badSeccomp(SeccompProfile profile) {
        if (profile == null || "RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType())) {
            return Optional.empty();
        }
        return Optional.of("type " + profile.getType() + " is not allowed");
    }

    private static List<Container> containers(PodSpec pod) {
        return Stream.of(pod.getInitContainers(), pod.getContainers())
                .filter(l -> l != null).flatMap(List::stream).toList();
    }

    private static String volumeType(Volume v) {
        Object[][] types = {
            {"configMap", v.getConfigMap()}, {"csi", v.getCsi()}, {"downwardAPI", v.getDownwardAPI()},
            {"emptyDir", v.getEmptyDir()}, {"ephemeral", v.getEphemeral()},
            {"persistentVolumeClaim", v.getPersistentVolumeClaim()}, {"projected", v.getProjected()},
            {"secret", v.getSecret()}, {"hostPath", v.getHostPath()},
        };
        for (Object[] t : types) {
            if (t[1] != null) {
                return (String) t[0];
            }
        }
        return "other";
    }
}
