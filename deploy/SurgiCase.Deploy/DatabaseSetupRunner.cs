namespace SurgiCase.Deploy;

/// <summary>
/// The custom resource's Lambda (Python, inline): on Create and Update it runs the setup task in the services' subnets
/// and polls until it stops, answering SUCCESS on exit code 0 and FAILED with the exit code and ECS's reason otherwise;
/// on Delete it does nothing (the roles stay with the retained database).
/// </summary>
internal static class DatabaseSetupRunner
{
    public const string Source = """
        import json, time, urllib.request
        import boto3

        ecs = boto3.client('ecs')

        def answer(event, context, status, reason=''):
            body = json.dumps({
                'Status': status,
                'Reason': (reason or 'see CloudWatch Logs ' + context.log_stream_name)[:2000],
                'PhysicalResourceId': event.get('PhysicalResourceId') or 'surgicase-database-setup',
                'StackId': event['StackId'], 'RequestId': event['RequestId'], 'LogicalResourceId': event['LogicalResourceId'],
            }).encode()
            urllib.request.urlopen(urllib.request.Request(event['ResponseURL'], data=body, method='PUT', headers={'Content-Type': ''}))

        def handler(event, context):
            try:
                if event['RequestType'] == 'Delete':
                    return answer(event, context, 'SUCCESS')
                p = event['ResourceProperties']
                run = ecs.run_task(cluster=p['Cluster'], taskDefinition=p['TaskDefinition'], launchType='FARGATE', count=1,
                    networkConfiguration={'awsvpcConfiguration': {
                        'subnets': p['Subnets'].split(','), 'securityGroups': [p['SecurityGroup']], 'assignPublicIp': 'DISABLED'}})
                if run.get('failures') or not run.get('tasks'):
                    raise RuntimeError('RunTask failed: ' + json.dumps(run.get('failures')))
                arn = run['tasks'][0]['taskArn']
                while context.get_remaining_time_in_millis() > 30000:
                    time.sleep(10)
                    task = ecs.describe_tasks(cluster=p['Cluster'], tasks=[arn])['tasks'][0]
                    if task['lastStatus'] == 'STOPPED':
                        code = next((c.get('exitCode') for c in task['containers'] if c['name'] == 'setup'), None)
                        if code == 0:
                            return answer(event, context, 'SUCCESS')
                        raise RuntimeError(f"the database setup task {arn} stopped with exit code {code}: {task.get('stoppedReason', '')}")
                raise RuntimeError(f'the database setup task {arn} did not stop in time')
            except Exception as e:
                answer(event, context, 'FAILED', str(e))
        """;
}
