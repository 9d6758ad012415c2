"""Python's testcontainers package (PyPI) starts the orgwatch image unchanged, and boto3 uses it:
its LocalStack module given our image (it waits for a line `Ready.`, exposes 4566 and hands out boto3
clients), and a plain container waiting for `Ready.` on its log. Ryuk, the package's reaper, is an image
that cannot be pulled here: TESTCONTAINERS_RYUK_DISABLED=true, and each container is stopped by `with`.

Usage: python_testcontainers.py IMAGE SCENARIO
"""

import os
import re
import sys

import boto3
from testcontainers.community.localstack import LocalStackContainer
from testcontainers.core.container import DockerContainer
from testcontainers.core.wait_strategies import LogMessageWaitStrategy

image, scenario = sys.argv[1], os.path.abspath(sys.argv[2])
assert os.environ.get("TESTCONTAINERS_RYUK_DISABLED") == "true", "Ryuk's image cannot be pulled here"

# 1. The LocalStack module, our image in place of LocalStack's.
with LocalStackContainer(image=image, region_name="us-east-1") as stack:
    sns = stack.get_client("sns")
    arn = sns.create_topic(Name="from-python")["TopicArn"]
    assert arn == "arn:aws:sns:us-east-1:123456789012:from-python", arn
    logs = stack.get_client("logs")
    logs.create_log_group(logGroupName="from-python")
    groups = [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]]
    assert groups == ["from-python"], groups
    print(f"ok LocalStackContainer({image}): {stack.get_url()} created {arn} and a log group")

# 2. A plain container with an init scenario, ready when it says so.
container = (
    DockerContainer(image)
    .with_exposed_ports(4566)
    .with_volume_mapping(scenario, "/etc/orgwatch/init/scenario.json", "ro")
    .waiting_for(LogMessageWaitStrategy(re.compile(r"^Ready\.$", re.M)).with_startup_timeout(30))
)
with container:
    url = f"http://{container.get_container_host_ip()}:{container.get_exposed_port(4566)}"
    cw = boto3.client(
        "cloudwatch",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    alarms = [a["AlarmName"] for a in cw.describe_alarms()["MetricAlarms"]]
    assert alarms == ["organizations_changes"], alarms
    print(f"ok DockerContainer({image}) with {os.path.basename(scenario)}: {url} holds {alarms}")
