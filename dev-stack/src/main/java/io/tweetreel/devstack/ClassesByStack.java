package io.tweetreel.devstack;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test classes of one stack ({@link DevStackExtension} or a subclass) one after another, so each stack
 * starts once even though only one runs at a time; classes without a stack come first. Within a group the order
 * is by name, as JUnit's default would be stable anyway. Set it in {@code junit-platform.properties}:
 * {@code junit.jupiter.testclass.order.default=io.tweetreel.devstack.ClassesByStack}.
 */
public final class ClassesByStack implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors()
                .sort(Comparator.comparing(ClassesByStack::stackOf)
                        .thenComparing(d -> d.getTestClass().getName()));
    }

    private static String stackOf(ClassDescriptor descriptor) {
        return descriptor.findRepeatableAnnotations(ExtendWith.class).stream()
                .flatMap(e -> java.util.Arrays.stream(e.value()))
                .filter(DevStackExtension.class::isAssignableFrom)
                .map(Class::getName)
                .findFirst()
                .orElse("");
    }
}
