# syntax=docker/dockerfile:1.7
# The service on a JVM. Build from the repository root:
#   docker build -t pwcheck:jvm .

FROM registry.access.redhat.com/ubi9/openjdk-17:1.21 AS build
WORKDIR /code
COPY --chown=185:0 --chmod=0755 mvnw /code/mvnw
COPY --chown=185:0 .mvn /code/.mvn
COPY --chown=185:0 pom.xml /code/
USER 185
RUN ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline
COPY --chown=185:0 src/main /code/src/main
RUN ./mvnw -B package -DskipTests

FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21
ENV LANGUAGE='en_US:en'
# The fast-jar layout, in four layers from least to most often changed.
COPY --from=build --chown=185:0 /code/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=185:0 /code/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=185:0 /code/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=185:0 /code/target/quarkus-app/quarkus/ /deployments/quarkus/
# Non-root, numeric user of the base image.
USER 185
EXPOSE 8080
# Heap as a share of the container's memory limit; the rest is for the page cache of a mirror store, if any.
ENV JAVA_OPTS_APPEND="-Dquarkus.http.host=0.0.0.0 -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
ENV JAVA_APP_JAR="/deployments/quarkus-run.jar"
ENTRYPOINT ["/opt/jboss/container/java/run/run-java.sh"]
