"""Response-shape parity: every operation the emulator serves for CloudWatch Logs, CloudWatch, SNS and SQS is
called through boto3, and each answer is checked against the operation's output shape in botocore's service
model (the model AWS publishes): every member returned is one the shape declares, of the declared type (and
in the declared enum), and every member the shape marks required is present. Run with the current boto3
(CloudWatch over JSON 1.0, SQS over JSON 1.0) and with botocore 1.40.61 (CloudWatch over AWS Query).

Usage: python parity.py   (AWS_ENDPOINT_URL and credentials from the environment; a fresh emulator)
"""

import datetime
import json
import sys

import boto3
import botocore

ACCOUNT = "123456789012"
REGION = "us-east-1"
checked = []
problems = []


def check(shape, value, path):
    """Problems of `value` against botocore shape `shape`, found at `path`."""
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            return problems.append(f"{path}: {type(value).__name__} where a structure is declared")
        for k, v in value.items():
            if k == "ResponseMetadata" and path.count(".") == 0:
                continue
            if k not in shape.members:
                problems.append(f"{path}.{k}: not a member of {shape.name}")
                continue
            check(shape.members[k], v, f"{path}.{k}")
        for r in shape.required_members:
            if r not in value:
                problems.append(f"{path}.{r}: required by {shape.name}, absent")
    elif t == "list":
        if not isinstance(value, list):
            return problems.append(f"{path}: {type(value).__name__} where a list is declared")
        for i, v in enumerate(value):
            check(shape.member, v, f"{path}[{i}]")
    elif t == "map":
        if not isinstance(value, dict):
            return problems.append(f"{path}: {type(value).__name__} where a map is declared")
        for k, v in value.items():
            check(shape.key, k, f"{path}<key {k}>")
            check(shape.value, v, f"{path}[{k}]")
    elif t == "string":
        if not isinstance(value, str):
            return problems.append(f"{path}: {type(value).__name__} where a string is declared")
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not in {shape.name}'s enum")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: {value!r} where an integer is declared")
    elif t in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"{path}: {value!r} where a number is declared")
    elif t == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: {value!r} where a boolean is declared")
    elif t == "timestamp":
        if not isinstance(value, datetime.datetime):
            problems.append(f"{path}: {value!r} where a timestamp is declared")
    elif t == "blob":
        if not isinstance(value, (bytes, bytearray)):
            problems.append(f"{path}: {value!r} where a blob is declared")


def call(client, operation, **params):
    """Calls `operation` and checks its answer against the model's output shape."""
    model = client.meta.service_model.operation_model(operation)
    method = botocore.xform_name(operation)
    out = getattr(client, method)(**params)
    if model.output_shape is not None:
        check(model.output_shape, out, f"{client.meta.service_model.service_name}:{operation}")
    checked.append(f"{client.meta.service_model.service_name}:{operation}")
    return out


def self_test():
    """The checker itself must see a wrong member, a wrong type and a missing required member."""
    model = boto3.client("sqs").meta.service_model
    check(model.operation_model("GetQueueUrl").output_shape, {"QueueUrl": 1, "Extra": "x"}, "self-test")
    check(model.operation_model("SendMessageBatch").output_shape, {"Successful": []}, "self-test")
    assert len(problems) == 3, problems
    problems.clear()


def main():
    self_test()
    logs = boto3.client("logs")
    cw = boto3.client("cloudwatch")
    sns = boto3.client("sns")
    sqs = boto3.client("sqs")
    protocols = {c.meta.service_model.service_name: c.meta.service_model.protocol for c in (logs, cw, sns, sqs)}

    group = "parity-group"
    call(logs, "CreateLogGroup", logGroupName=group, tags={"cost": "1234"})
    call(logs, "DescribeLogGroups", logGroupNamePrefix="parity")
    call(logs, "CreateLogStream", logGroupName=group, logStreamName="s")
    call(logs, "DescribeLogStreams", logGroupName=group)
    now = int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)
    event = json.dumps({"eventSource": "organizations.amazonaws.com", "eventName": "CreateAccount"})
    call(logs, "PutLogEvents", logGroupName=group, logStreamName="s", logEvents=[{"timestamp": now, "message": event}])
    call(logs, "GetLogEvents", logGroupName=group, logStreamName="s")
    call(logs, "FilterLogEvents", logGroupName=group, filterPattern='{ $.eventName = "CreateAccount" }')
    call(logs, "PutMetricFilter", logGroupName=group, filterName="f", filterPattern='{ $.eventName = "CreateAccount" }',
         metricTransformations=[{"metricName": "m", "metricNamespace": "Parity", "metricValue": "1"}])
    call(logs, "DescribeMetricFilters", logGroupName=group)
    call(logs, "TestMetricFilter", filterPattern='{ $.eventName = "CreateAccount" }', logEventMessages=[event])
    call(logs, "PutRetentionPolicy", logGroupName=group, retentionInDays=30)
    call(logs, "DeleteRetentionPolicy", logGroupName=group)
    arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}"
    call(logs, "TagResource", resourceArn=arn, tags={"team": "sec"})
    call(logs, "ListTagsForResource", resourceArn=arn)
    call(logs, "UntagResource", resourceArn=arn, tagKeys=["team"])
    call(logs, "TagLogGroup", logGroupName=group, tags={"team": "sec"})
    call(logs, "ListTagsLogGroup", logGroupName=group)
    call(logs, "UntagLogGroup", logGroupName=group, tags=["team"])
    call(logs, "DescribeResourcePolicies")
    call(logs, "DeleteMetricFilter", logGroupName=group, filterName="f")
    call(logs, "DeleteLogStream", logGroupName=group, logStreamName="s")
    call(logs, "DeleteLogGroup", logGroupName=group)
    dest = call(logs, "PutDeliveryDestination", name="parity-dd", outputFormat="json",
                deliveryDestinationConfiguration={"destinationResourceArn": "arn:aws:s3:::parity-bucket"})
    call(logs, "GetDeliveryDestination", name="parity-dd")
    call(logs, "DescribeDeliveryDestinations")
    call(logs, "PutDeliveryDestinationPolicy", deliveryDestinationName="parity-dd",
         deliveryDestinationPolicy=json.dumps({"Version": "2012-10-17", "Statement": []}))
    call(logs, "GetDeliveryDestinationPolicy", deliveryDestinationName="parity-dd")
    call(logs, "DeleteDeliveryDestinationPolicy", deliveryDestinationName="parity-dd")
    call(logs, "PutDeliverySource", name="parity-ds", logType="ACCESS_LOGS",
         resourceArn=f"arn:aws:cloudfront::{ACCOUNT}:distribution/E1")
    call(logs, "GetDeliverySource", name="parity-ds")
    call(logs, "DescribeDeliverySources")
    delivery = call(logs, "CreateDelivery", deliverySourceName="parity-ds",
                    deliveryDestinationArn=dest["deliveryDestination"]["arn"])["delivery"]["id"]
    call(logs, "GetDelivery", id=delivery)
    call(logs, "DescribeDeliveries")
    call(logs, "DeleteDelivery", id=delivery)
    call(logs, "DeleteDeliverySource", name="parity-ds")
    call(logs, "DeleteDeliveryDestination", name="parity-dd")

    topic = call(sns, "CreateTopic", Name="parity-topic", Tags=[{"Key": "cost", "Value": "1234"}])["TopicArn"]
    call(sns, "ListTopics")
    call(sns, "GetTopicAttributes", TopicArn=topic)
    call(sns, "SetTopicAttributes", TopicArn=topic, AttributeName="DisplayName", AttributeValue="42")
    call(sns, "AddPermission", TopicArn=topic, Label="peer", AWSAccountId=["210987654321"], ActionName=["Publish"])
    call(sns, "RemovePermission", TopicArn=topic, Label="peer")
    queue = call(sqs, "CreateQueue", QueueName="parity-queue", Attributes={"VisibilityTimeout": "30"}, tags={"k": "v"})["QueueUrl"]
    queue_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:parity-queue"
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
              "Action": "sqs:SendMessage", "Resource": queue_arn, "Condition": {"ArnEquals": {"aws:SourceArn": topic}}}]}
    call(sqs, "SetQueueAttributes", QueueUrl=queue, Attributes={"Policy": json.dumps(policy)})
    sub = call(sns, "Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    call(sns, "ListSubscriptions")
    call(sns, "ListSubscriptionsByTopic", TopicArn=topic)
    call(sns, "GetSubscriptionAttributes", SubscriptionArn=sub)
    call(sns, "SetSubscriptionAttributes", SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="true")
    call(sns, "Publish", TopicArn=topic, Message="hello", Subject="s",
         MessageAttributes={"n": {"DataType": "Number", "StringValue": "7"}})
    call(sns, "PublishBatch", TopicArn=topic, PublishBatchRequestEntries=[{"Id": "a", "Message": "one"}, {"Id": "b", "Message": "two"}])
    call(sns, "TagResource", ResourceArn=topic, Tags=[{"Key": "team", "Value": "sec"}])
    call(sns, "ListTagsForResource", ResourceArn=topic)
    call(sns, "UntagResource", ResourceArn=topic, TagKeys=["team"])
    app = call(sns, "CreatePlatformApplication", Name="parity-app", Platform="GCM",
               Attributes={"PlatformCredential": "key"})["PlatformApplicationArn"]
    call(sns, "GetPlatformApplicationAttributes", PlatformApplicationArn=app)
    call(sns, "SetPlatformApplicationAttributes", PlatformApplicationArn=app, Attributes={"SuccessFeedbackSampleRate": "50"})
    call(sns, "ListPlatformApplications")
    endpoint = call(sns, "CreatePlatformEndpoint", PlatformApplicationArn=app, Token="t1")["EndpointArn"]
    call(sns, "GetEndpointAttributes", EndpointArn=endpoint)
    call(sns, "SetEndpointAttributes", EndpointArn=endpoint, Attributes={"CustomUserData": "x"})
    call(sns, "ListEndpointsByPlatformApplication", PlatformApplicationArn=app)
    call(sns, "Publish", TargetArn=endpoint, Message="push")
    call(sns, "DeleteEndpoint", EndpointArn=endpoint)
    call(sns, "DeletePlatformApplication", PlatformApplicationArn=app)
    call(sns, "SetSMSAttributes", attributes={"DefaultSMSType": "Transactional"})
    call(sns, "GetSMSAttributes")
    call(sns, "CheckIfPhoneNumberIsOptedOut", phoneNumber="+15551234567")
    call(sns, "ListPhoneNumbersOptedOut")
    call(sns, "OptInPhoneNumber", phoneNumber="+15551234567")
    call(sns, "Publish", PhoneNumber="+15551234567", Message="text")
    fifo = call(sns, "CreateTopic", Name="parity.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    call(sns, "Publish", TopicArn=fifo, Message="ordered", MessageGroupId="g")
    call(sns, "PublishBatch", TopicArn=fifo, PublishBatchRequestEntries=[{"Id": "a", "Message": "one", "MessageGroupId": "g"}])

    call(sqs, "GetQueueUrl", QueueName="parity-queue")
    call(sqs, "ListQueues", QueueNamePrefix="parity")
    call(sqs, "GetQueueAttributes", QueueUrl=queue, AttributeNames=["All"])
    got = call(sqs, "ReceiveMessage", QueueUrl=queue, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
               MessageSystemAttributeNames=["All"])
    if [m["Body"] for m in got.get("Messages", [])] != ["hello", "one", "two"]:
        problems.append(f"sqs:ReceiveMessage: the three raw notifications, in order, expected: {got}")
    handles = [m["ReceiptHandle"] for m in got.get("Messages", [])]
    if handles:
        call(sqs, "ChangeMessageVisibility", QueueUrl=queue, ReceiptHandle=handles[0], VisibilityTimeout=60)
        call(sqs, "ChangeMessageVisibilityBatch", QueueUrl=queue,
             Entries=[{"Id": "x", "ReceiptHandle": handles[0], "VisibilityTimeout": 0}])
        call(sqs, "DeleteMessage", QueueUrl=queue, ReceiptHandle=handles[0])
        call(sqs, "DeleteMessageBatch", QueueUrl=queue, Entries=[{"Id": f"e{i}", "ReceiptHandle": h} for i, h in enumerate(handles[1:])] or [{"Id": "none", "ReceiptHandle": handles[0]}])
    call(sqs, "SendMessage", QueueUrl=queue, MessageBody="x", MessageAttributes={"a": {"DataType": "String", "StringValue": "b"}})
    call(sqs, "SendMessageBatch", QueueUrl=queue, Entries=[{"Id": "a", "MessageBody": "1"}, {"Id": "b", "MessageBody": "2", "DelaySeconds": 901}])
    call(sqs, "PurgeQueue", QueueUrl=queue)
    call(sqs, "TagQueue", QueueUrl=queue, Tags={"team": "sec"})
    call(sqs, "ListQueueTags", QueueUrl=queue)
    call(sqs, "UntagQueue", QueueUrl=queue, TagKeys=["team"])
    call(sqs, "ListDeadLetterSourceQueues", QueueUrl=queue)
    call(sqs, "AddPermission", QueueUrl=queue, Label="peer", AWSAccountIds=["210987654321"], Actions=["SendMessage"])
    call(sqs, "RemovePermission", QueueUrl=queue, Label="peer")

    alarm = dict(AlarmName="parity-alarm", MetricName="m", Namespace="Parity", Statistic="Sum", Period=300,
                 Threshold=1.0, ComparisonOperator="GreaterThanOrEqualToThreshold", EvaluationPeriods=1,
                 AlarmActions=[topic], Dimensions=[{"Name": "Shard", "Value": "42"}])
    call(cw, "PutMetricAlarm", **alarm)
    call(cw, "PutMetricAlarm", **{**alarm, "Threshold": 2.0})
    call(cw, "DescribeAlarms", AlarmNames=["parity-alarm"])
    call(cw, "DescribeAlarmsForMetric", MetricName="m", Namespace="Parity", Dimensions=[{"Name": "Shard", "Value": "42"}])
    call(cw, "SetAlarmState", AlarmName="parity-alarm", StateValue="ALARM", StateReason="parity")
    history = call(cw, "DescribeAlarmHistory", AlarmName="parity-alarm")
    kinds = sorted({i["HistoryItemType"] for i in history["AlarmHistoryItems"]})
    if kinds != ["Action", "ConfigurationUpdate", "StateUpdate"]:
        problems.append(f"cloudwatch:DescribeAlarmHistory: item types {kinds}")
    call(cw, "PutMetricData", Namespace="Parity", MetricData=[{"MetricName": "m", "Value": 1.0, "Dimensions": [{"Name": "Shard", "Value": "42"}]}])
    call(cw, "ListMetrics", Namespace="Parity")
    end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
    start = end - datetime.timedelta(hours=1)
    call(cw, "GetMetricStatistics", Namespace="Parity", MetricName="m", Dimensions=[{"Name": "Shard", "Value": "42"}],
         StartTime=start, EndTime=end, Period=300, Statistics=["Sum", "SampleCount"])
    call(cw, "GetMetricData", StartTime=start, EndTime=end, MetricDataQueries=[{"Id": "q", "MetricStat": {
        "Metric": {"Namespace": "Parity", "MetricName": "m", "Dimensions": [{"Name": "Shard", "Value": "42"}]},
        "Period": 300, "Stat": "Sum"}}])
    alarm_arn = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:parity-alarm"
    call(cw, "TagResource", ResourceARN=alarm_arn, Tags=[{"Key": "team", "Value": "sec"}])
    call(cw, "ListTagsForResource", ResourceARN=alarm_arn)
    call(cw, "UntagResource", ResourceARN=alarm_arn, TagKeys=["team"])
    body = json.dumps({"widgets": [{"type": "metric", "properties": {"metrics": [["Parity", "m"]], "region": REGION}}]})
    call(cw, "PutDashboard", DashboardName="parity-board", DashboardBody=body)
    call(cw, "GetDashboard", DashboardName="parity-board")
    call(cw, "ListDashboards", DashboardNamePrefix="parity")
    call(cw, "DeleteDashboards", DashboardNames=["parity-board"])
    call(cw, "DisableAlarmActions", AlarmNames=["parity-alarm"])
    call(cw, "EnableAlarmActions", AlarmNames=["parity-alarm"])
    call(cw, "DeleteAlarms", AlarmNames=["parity-alarm"])

    call(sns, "Unsubscribe", SubscriptionArn=sub)
    call(sns, "DeleteTopic", TopicArn=topic)
    call(sqs, "DeleteQueue", QueueUrl=queue)

    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(f"{len(problems)} answers differ from the service models")
    print(f"botocore {botocore.__version__} {protocols}: {len(checked)} answers match their output shapes")


if __name__ == "__main__":
    main()
