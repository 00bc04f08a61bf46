# The fmb command line as a container image, for sweeps on a cluster (`fmb sweep k8s`, docs/sweeps.md). From the
# repository root:
#   docker build -t REGISTRY/fmb:0.2.0 . && docker push REGISTRY/fmb:0.2.0
# The image holds the data set (Debian's dataset-fashion-mnist, where the library looks first), so pods need no
# internet. CPU only (TorchSharp-cpu). Not built in this repository's CI, which has no Docker engine.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish samples/Baselines/Baselines.csproj -c Release -o /app

FROM debian:bookworm-slim AS data
RUN apt-get update && apt-get install -y --no-install-recommends dataset-fashion-mnist && rm -rf /var/lib/apt/lists/*

FROM mcr.microsoft.com/dotnet/runtime:10.0
COPY --from=data /usr/share/datasets/fashion-mnist /usr/share/datasets/fashion-mnist
COPY --from=build /app /app
RUN ln -s /app/fmb /usr/local/bin/fmb
WORKDIR /runs
ENTRYPOINT ["fmb"]
