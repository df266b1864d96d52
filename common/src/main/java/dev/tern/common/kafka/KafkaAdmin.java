package dev.tern.common.kafka;

import dev.tern.common.config.TernConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * One shared Kafka admin client per service, for readiness checks and operator queries. Created on
 * first use so a service starts (and reports not-ready) while Kafka is still down.
 */
@ApplicationScoped
public class KafkaAdmin {

    private final TernConfig config;
    private final KafkaClientProperties properties;
    private volatile Admin admin;

    public KafkaAdmin(TernConfig config, KafkaClientProperties properties) {
        this.config = config;
        this.properties = properties;
    }

    /** The operator's Kafka client properties, for clients made beside this one. */
    public KafkaClientProperties clientProperties() {
        return properties;
    }

    public Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(KafkaClients.admin(config.kafka().bootstrapServers(), properties));
                }
                a = admin;
            }
        }
        return a;
    }

    /** Number of live brokers, or an exception when the cluster does not answer within the timeout. */
    public int liveBrokers(long timeoutMillis) throws Exception {
        var options = new DescribeClusterOptions().timeoutMs((int) timeoutMillis);
        return admin().describeCluster(options).nodes().get(timeoutMillis, TimeUnit.MILLISECONDS).size();
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
