"""season rows keyed by team and season, with additive totals

Revision ID: c3d5e7f9a1b2
Revises: a17c0e5d2b01
Create Date: 2026-12-02 11:20:00.000000

club_season_statistics and player_season_statistics hold one row per (team, season) and
(player, team, season), with the sums a match is added to or taken from. They hold derived
data only: the upgrade empties them, and ``flask spinta recompute-stats --seasons-only``
rebuilds them from the stored match rows (run it right after ``flask db upgrade``; the README
says so). The downgrade empties them too (the same command of that version rebuilds them).
"""

from alembic import op
import sqlalchemy as sa


revision = "c3d5e7f9a1b2"
down_revision = "a17c0e5d2b01"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("DELETE FROM player_season_statistics")
    op.execute("DELETE FROM club_season_statistics")
    with op.batch_alter_table('club_season_statistics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Uuid(), nullable=False))
        batch_op.add_column(sa.Column('season_id', sa.Uuid(), nullable=False))
        batch_op.add_column(sa.Column('goals_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('expected_goals_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('total_shots_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('shots_on_target_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('shots_off_target_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('blocked_shots_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('goalkeeper_saves_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('total_passes_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('passes_completed_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('final_third_passes_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('long_passes_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('crosses_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('corners_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('total_dribbles_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('successful_dribbles_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('total_tackles_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('tackles_won_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('interceptions_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('interceptions_won_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('ball_recoveries_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('clearances_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('fouls_committed_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('yellow_cards_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('red_cards_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('possession_total', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('possession_matches', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_club_season_statistics_club_id'), ['club_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_club_season_statistics_season_id'), ['season_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_club_season_statistics_season_id_seasons'), 'seasons', ['season_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_club_season_statistics_team_id_teams'), 'teams', ['team_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint('pk_club_season_statistics', type_='primary')
        batch_op.create_primary_key('pk_club_season_statistics', ['team_id', 'season_id'])

    with op.batch_alter_table('player_season_statistics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Uuid(), nullable=False))
        batch_op.add_column(sa.Column('season_id', sa.Uuid(), nullable=False))
        batch_op.create_index(batch_op.f('ix_player_season_statistics_season_id'), ['season_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_player_season_statistics_team_id_teams'), 'teams', ['team_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_player_season_statistics_season_id_seasons'), 'seasons', ['season_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint('pk_player_season_statistics', type_='primary')
        batch_op.create_primary_key('pk_player_season_statistics', ['player_id', 'team_id', 'season_id'])

    # ### end Alembic commands ###


def downgrade():
    op.execute("DELETE FROM player_season_statistics")
    op.execute("DELETE FROM club_season_statistics")
    with op.batch_alter_table('player_season_statistics', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_player_season_statistics_season_id_seasons'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_player_season_statistics_team_id_teams'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_player_season_statistics_season_id'))
        batch_op.drop_constraint('pk_player_season_statistics', type_='primary')
        batch_op.create_primary_key('pk_player_season_statistics', ['player_id'])
        batch_op.drop_column('season_id')
        batch_op.drop_column('team_id')

    with op.batch_alter_table('club_season_statistics', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_club_season_statistics_team_id_teams'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_club_season_statistics_season_id_seasons'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_club_season_statistics_season_id'))
        batch_op.drop_index(batch_op.f('ix_club_season_statistics_club_id'))
        batch_op.drop_constraint('pk_club_season_statistics', type_='primary')
        batch_op.create_primary_key('pk_club_season_statistics', ['club_id'])
        batch_op.drop_column('possession_matches')
        batch_op.drop_column('possession_total')
        batch_op.drop_column('red_cards_total')
        batch_op.drop_column('yellow_cards_total')
        batch_op.drop_column('fouls_committed_total')
        batch_op.drop_column('clearances_total')
        batch_op.drop_column('ball_recoveries_total')
        batch_op.drop_column('interceptions_won_total')
        batch_op.drop_column('interceptions_total')
        batch_op.drop_column('tackles_won_total')
        batch_op.drop_column('total_tackles_total')
        batch_op.drop_column('successful_dribbles_total')
        batch_op.drop_column('total_dribbles_total')
        batch_op.drop_column('corners_total')
        batch_op.drop_column('crosses_total')
        batch_op.drop_column('long_passes_total')
        batch_op.drop_column('final_third_passes_total')
        batch_op.drop_column('passes_completed_total')
        batch_op.drop_column('total_passes_total')
        batch_op.drop_column('goalkeeper_saves_total')
        batch_op.drop_column('blocked_shots_total')
        batch_op.drop_column('shots_off_target_total')
        batch_op.drop_column('shots_on_target_total')
        batch_op.drop_column('total_shots_total')
        batch_op.drop_column('expected_goals_total')
        batch_op.drop_column('goals_total')
        batch_op.drop_column('season_id')
        batch_op.drop_column('team_id')

    # ### end Alembic commands ###
