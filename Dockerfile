# The orgwatch image, built from nothing: `./build-image.sh` puts the binary (the dist profile), the
# loader and the libraries it links, and a few files of /etc into a build context; nothing is pulled.
# No `# syntax=` line: it would make BuildKit pull a frontend image.
FROM scratch

ARG VERSION=0.0.0
ARG REVISION=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="orgwatch" \
      org.opencontainers.image.description="An AWS emulator and a checker proving an organization is watched for Organizations changes (CIS AWS Foundations 4.15 / 5.15)" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0"

# /orgwatch, /lib*, /etc (passwd, group, nsswitch.conf, CA certificates, an empty init folder) and /tmp.
COPY rootfs/ /
# The state folder belongs to the user the emulator runs as, so a named volume mounted there is
# writable (Docker copies an image folder's owner into a new volume).
COPY --chown=65532:65532 state/ /var/lib/orgwatch/

USER 65532:65532
WORKDIR /var/lib/orgwatch
ENV ORGWATCH_HOST=0.0.0.0 \
    ORGWATCH_PORT=4566 \
    ORGWATCH_INIT_DIR=/etc/orgwatch/init
EXPOSE 4566
HEALTHCHECK --interval=1s --timeout=3s --start-period=10s --retries=3 CMD ["/orgwatch", "healthcheck"]
ENTRYPOINT ["/orgwatch"]
CMD ["emulator"]
