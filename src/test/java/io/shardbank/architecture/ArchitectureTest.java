package io.shardbank.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.security.SecureRandom;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The architecture in rules that the build checks (see DESIGN.md, sections 3 and 3a): packages form
 * no cycle; the protocol cores stay pure (no actors, no JDBC, no clock, no unseeded randomness), so
 * the simulation can run them deterministically; and actors live only in the packages that host them.
 */
@AnalyzeClasses(packages = "io.shardbank", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The pure protocol cores: every class of these packages. */
    private static final String[] CORE_PACKAGES = {
        "io.shardbank.paxos..", "io.shardbank.txn..", "io.shardbank.shard..", "io.shardbank.reshard.."
    };

    /**
     * The packages allowed to host actors. The reshard coordinator, an actor by design (DESIGN.md
     * 8), is a client of the clusters and lives in {@code client}: in {@code reshard} it would make a
     * cycle with {@code node}, whose leaders keep the access history the planner reads.
     */
    private static final String[] ACTOR_PACKAGES = {
        "io.shardbank.node", "io.shardbank.client", "io.shardbank.harness", "io.shardbank.storage",
        "io.shardbank.cluster", "io.shardbank.bench"
    };

    /**
     * The node's classes that are not its pure host core: the actor, its wire protocol (which carries
     * actor references to reply to) and the test-only fail points, which kill the process.
     */
    private static final DescribedPredicate<JavaClass> NODE_SHELL = declaredIn("io.shardbank.node.NodeActor")
            .or(declaredIn("io.shardbank.node.NodeProtocol")).or(declaredIn("io.shardbank.node.Failpoints"))
            .as("NodeActor, NodeProtocol, Failpoints");

    /** The cores: the core packages, and the node package but for its shell. */
    private static final DescribedPredicate<JavaClass> CORES = resideInAnyPackage(CORE_PACKAGES)
            .or(resideInAnyPackage("io.shardbank.node").and(not(NODE_SHELL)))
            .as("the protocol cores (paxos, txn, shard, reshard, and node but for " + NODE_SHELL.getDescription() + ")");

    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("io.shardbank.(*)..")
            .should().beFreeOfCycles()
            .as("the packages of io.shardbank depend on each other without a cycle");

    @ArchTest
    static final ArchRule coresUseNoActors = noClasses().that(CORES)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..")
            .as("the protocol cores import no Pekko");

    @ArchTest
    static final ArchRule coresUseNoJdbc = noClasses().that(CORES)
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..")
            .as("the protocol cores import no java.sql (storage goes through the StorageActor)");

    @ArchTest
    static final ArchRule coresReadNoClock = noClasses().that(CORES)
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethodWhere(timeNow())
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.InstantSource")
            .as("the protocol cores read no clock (time comes in as an input)");

    @ArchTest
    static final ArchRule coresMakeNoUnseededRandomness = noClasses().that(CORES)
            .should().callConstructorWhere(unseededRandom())
            .orShould().callMethod(ThreadLocalRandom.class, "current")
            .orShould().callMethod(Math.class, "random")
            .as("the protocol cores construct no java.util.Random (nor SecureRandom, an unseeded SplittableRandom,"
                    + " ThreadLocalRandom or Math.random): randomness comes in, or from a configured seed");

    @ArchTest
    static final ArchRule actorsLiveWhereTheyAreHosted = noClasses()
            .that(not(resideInAnyPackage(ACTOR_PACKAGES)))
            .should().beAssignableTo("org.apache.pekko.actor.typed.javadsl.AbstractBehavior")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.apache.pekko.actor.typed.javadsl.Behaviors")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.apache.pekko.actor.typed.scaladsl.Behaviors")
            .orShould().beAssignableTo("org.apache.pekko.actor.AbstractActor")
            .as("actors (AbstractBehavior subclasses, users of Behaviors) live only in node, client, harness,"
                    + " storage, cluster and bench");

    /** The class named {@code topLevel} and every class nested in it. */
    private static DescribedPredicate<JavaClass> declaredIn(String topLevel) {
        return DescribedPredicate.describe(topLevel, (JavaClass type) ->
                type.getName().equals(topLevel) || type.getName().startsWith(topLevel + "$"));
    }

    /** A call of {@code now(...)} on any java.time type: Instant.now, LocalDateTime.now, ... */
    private static DescribedPredicate<JavaCall<?>> timeNow() {
        return DescribedPredicate.describe("now() of a java.time type", (JavaCall<?> call) ->
                call.getName().equals("now") && call.getTargetOwner().getPackageName().startsWith("java.time"));
    }

    /**
     * A constructor of {@link Random} (and its subclasses such as {@link SecureRandom}) of any
     * arity: a seed makes it repeatable, but the cores take randomness as an input instead; and a
     * {@link SplittableRandom} without a seed, which draws one from the clock.
     */
    private static DescribedPredicate<JavaConstructorCall> unseededRandom() {
        return DescribedPredicate.describe("a new Random, or a new SplittableRandom without a seed",
                (JavaConstructorCall call) -> {
                    JavaClass owner = call.getTargetOwner();
                    boolean random = owner.isAssignableTo(Random.class);
                    boolean unseededSplittable = owner.isEquivalentTo(SplittableRandom.class)
                            && call.getTarget().getRawParameterTypes().isEmpty();
                    return random || unseededSplittable;
                });
    }
}
